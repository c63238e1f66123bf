package dev.osmosis.engine.train.shapes;

/** Object radius as a fraction of the image side. */
public enum SizeClass {
    SMALL(0.075),
    MEDIUM(0.11),
    LARGE(0.15);

    public final double radius;

    SizeClass(double radius) {
        this.radius = radius;
    }

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
