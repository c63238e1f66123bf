package dev.osmosis.engine.train.shapes;

/** The named colours of the shapes world; far apart in RGB so plain image analysis can tell them apart. */
public enum Palette {
    RED(215, 35, 35),
    GREEN(40, 165, 60),
    BLUE(35, 70, 215),
    YELLOW(240, 215, 35),
    ORANGE(245, 135, 25),
    PURPLE(135, 50, 175),
    PINK(245, 130, 195),
    CYAN(45, 200, 215),
    WHITE(245, 245, 245),
    BLACK(20, 20, 20);

    public final int r;
    public final int g;
    public final int b;

    Palette(int r, int g, int b) {
        this.r = r;
        this.g = g;
        this.b = b;
    }

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public int rgb() {
        return (r << 16) | (g << 8) | b;
    }

    /** The palette colour nearest to an RGB value (squared distance). */
    public static Palette nearest(double r, double g, double b) {
        Palette best = RED;
        double bestD = Double.MAX_VALUE;
        for (Palette p : values()) {
            double d = (p.r - r) * (p.r - r) + (p.g - g) * (p.g - g) + (p.b - b) * (p.b - b);
            if (d < bestD) {
                bestD = d;
                best = p;
            }
        }
        return best;
    }
}
