package dev.osmosis.engine.train.eval;

import dev.osmosis.engine.train.shapes.ShapeKind;
import java.util.Map;

/**
 * Scale-free geometry of one object's mask, and the shape it is nearest to. The prototypes are the
 * features of the shapes world's own renders ({@link ShapeKind}, medium size, 128 px), measured by
 * this class: the exact values of the continuous shapes (circle solidity 1, extent pi/4; star
 * solidity 0.555, extent 0.384; ...) shift by a few hundredths once the shape is pixels, most for
 * small ones, enough to confuse a small star with a cross.
 * <pre>
 *   shape     solidity  extent  asymmetry  aspect
 *   (area / hull, area / box, centroid below the box centre / height, width / height)
 *   circle    0.960     0.802   0          1
 *   square    1         1       0          1
 *   triangle  0.918     0.524   0.159      1.14       apex up, base at y = 0.75 r
 *   star      0.597     0.428   0.045      1.05       5 points, inner radius 0.45
 *   cross     0.689     0.525   0          1          arms 0.3 r wide, 0.95 r long
 *   diamond   0.899     0.540   0          0.8
 *   ring      -- recognised by its hole (a quarter of the disc) --
 * </pre>
 *
 * @param holeFraction enclosed background / (object + enclosed background)
 */
public record ShapeFeatures(double solidity, double extent, double asymmetry, double aspect, double holeFraction) {
    /** A ring's hole is 25 % of its disc; blur shrinks it, but nothing else encloses background. */
    static final double RING_HOLE = 0.06;

    private static final Map<ShapeKind, double[]> PROTOTYPES = Map.of(
            ShapeKind.CIRCLE, new double[] {0.960, 0.802, 0, 1},
            ShapeKind.SQUARE, new double[] {1.0, 1.0, 0, 1},
            ShapeKind.TRIANGLE, new double[] {0.918, 0.524, 0.159, 1.14},
            ShapeKind.STAR, new double[] {0.597, 0.428, 0.045, 1.05},
            ShapeKind.CROSS, new double[] {0.689, 0.525, 0, 1},
            ShapeKind.DIAMOND, new double[] {0.899, 0.540, 0, 0.8});

    /** How far apart two values of each feature must be to count as one unit of difference. */
    private static final double[] SCALE = {0.07, 0.08, 0.05, 0.12};

    /** The nearest prototype in scaled Euclidean distance; a hole means ring. */
    public ShapeKind classify() {
        if (holeFraction >= RING_HOLE) {
            return ShapeKind.RING;
        }
        double[] f = {Math.min(solidity, 1.0), extent, asymmetry, aspect};
        ShapeKind best = ShapeKind.CIRCLE;
        double bestDistance = Double.MAX_VALUE;
        for (Map.Entry<ShapeKind, double[]> e : PROTOTYPES.entrySet()) {
            double d = 0;
            for (int i = 0; i < f.length; i++) {
                double z = (f[i] - e.getValue()[i]) / SCALE[i];
                d += z * z;
            }
            if (d < bestDistance || d == bestDistance && e.getKey().ordinal() < best.ordinal()) {
                bestDistance = d;
                best = e.getKey();
            }
        }
        return best;
    }

    /** Area of the shape in units of its radius squared, for telling sizes apart. */
    static double unitArea(ShapeKind shape) {
        return switch (shape) {
            case CIRCLE -> Math.PI;
            case SQUARE -> 4 * 0.85 * 0.85;
            case TRIANGLE -> 1.75;
            case STAR -> 5 * 0.45 * Math.sin(Math.toRadians(36));
            case RING -> Math.PI * (1 - 0.25);
            case CROSS -> 2 * (0.6 * 1.9) - 0.36;
            case DIAMOND -> 1.6;
        };
    }
}
