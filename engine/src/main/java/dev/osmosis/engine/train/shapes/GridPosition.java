package dev.osmosis.engine.train.shapes;

/** The nine cells of a 3x3 grid, with the words a caption uses for each. */
public enum GridPosition {
    TOP_LEFT(0, 0, "at the top left"),
    TOP(1, 0, "at the top"),
    TOP_RIGHT(2, 0, "at the top right"),
    LEFT(0, 1, "on the left"),
    CENTER(1, 1, "in the center"),
    RIGHT(2, 1, "on the right"),
    BOTTOM_LEFT(0, 2, "at the bottom left"),
    BOTTOM(1, 2, "at the bottom"),
    BOTTOM_RIGHT(2, 2, "at the bottom right");

    public final int column;
    public final int row;
    public final String phrase;

    GridPosition(int column, int row, String phrase) {
        this.column = column;
        this.row = row;
        this.phrase = phrase;
    }

    /** Centre of the cell in [0, 1] image coordinates. */
    public double centerX() {
        return (column + 0.5) / 3;
    }

    public double centerY() {
        return (row + 0.5) / 3;
    }

    public static GridPosition of(int column, int row) {
        for (GridPosition p : values()) {
            if (p.column == column && p.row == row) {
                return p;
            }
        }
        throw new IllegalArgumentException("no cell " + column + "," + row);
    }
}
