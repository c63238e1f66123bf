package dev.osmosis.engine.train.shapes;

/** A plain colour, or a vertical gradient from {@code colour} (top) to {@code gradientTo} (bottom). */
public record Background(Palette colour, Palette gradientTo) {
    public boolean isGradient() {
        return gradientTo != null;
    }

    String phrase() {
        return isGradient()
                ? "on a " + colour.word() + " to " + gradientTo.word() + " gradient background"
                : "on a " + colour.word() + " background";
    }

    /** RGB at a vertical position v in [0, 1]. */
    int[] rgbAt(double v) {
        if (!isGradient()) {
            return new int[] {colour.r, colour.g, colour.b};
        }
        return new int[] {
            (int) Math.round(colour.r + (gradientTo.r - colour.r) * v),
            (int) Math.round(colour.g + (gradientTo.g - colour.g) * v),
            (int) Math.round(colour.b + (gradientTo.b - colour.b) * v)};
    }

    boolean uses(Palette p) {
        return colour == p || gradientTo == p;
    }
}
