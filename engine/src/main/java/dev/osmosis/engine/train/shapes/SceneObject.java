package dev.osmosis.engine.train.shapes;

/** One object: what, which colour, how big, in which grid cell (offset a little from its centre). */
public record SceneObject(ShapeKind shape, Palette colour, SizeClass size, GridPosition position,
                          double offsetX, double offsetY) {

    public double centerX() {
        return position.centerX() + offsetX;
    }

    public double centerY() {
        return position.centerY() + offsetY;
    }

    String phrase(boolean withSize) {
        return "a " + (withSize ? size.word() + " " : "") + colour.word() + " " + shape.word() + " " + position.phrase;
    }
}
