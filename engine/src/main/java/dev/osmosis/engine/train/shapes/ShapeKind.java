package dev.osmosis.engine.train.shapes;

/**
 * The shapes of the world, each an inside test on coordinates relative to the object's centre in
 * units of its radius (so every shape spans about [-1, 1]).
 */
public enum ShapeKind {
    CIRCLE {
        @Override
        boolean contains(double x, double y) {
            return x * x + y * y <= 1;
        }
    },
    SQUARE {
        @Override
        boolean contains(double x, double y) {
            return Math.abs(x) <= 0.85 && Math.abs(y) <= 0.85;
        }
    },
    TRIANGLE {
        @Override
        boolean contains(double x, double y) {
            // apex up, base at y = 0.75; y grows downwards as in images
            return y <= 0.75 && y >= -1 + 1.75 * Math.abs(x) / 1.0;
        }
    },
    STAR {
        @Override
        boolean contains(double x, double y) {
            return Polygons.insideStar(x, y, 5, 1.0, 0.45);
        }
    },
    RING {
        @Override
        boolean contains(double x, double y) {
            double d = x * x + y * y;
            return d <= 1 && d >= 0.5 * 0.5;
        }
    },
    CROSS {
        @Override
        boolean contains(double x, double y) {
            double ax = Math.abs(x);
            double ay = Math.abs(y);
            return (ax <= 0.3 && ay <= 0.95) || (ay <= 0.3 && ax <= 0.95);
        }
    },
    DIAMOND {
        @Override
        boolean contains(double x, double y) {
            return Math.abs(x) / 0.8 + Math.abs(y) <= 1;
        }
    };

    abstract boolean contains(double x, double y);

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
