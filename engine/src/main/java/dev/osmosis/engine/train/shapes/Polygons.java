package dev.osmosis.engine.train.shapes;

/** Point-in-polygon for the star; even-odd rule on a regular star polygon. */
final class Polygons {
    private Polygons() {}

    static boolean insideStar(double x, double y, int points, double outer, double inner) {
        int n = points * 2;
        double[] px = new double[n];
        double[] py = new double[n];
        for (int i = 0; i < n; i++) {
            double radius = i % 2 == 0 ? outer : inner;
            double angle = -Math.PI / 2 + Math.PI * i / points;
            px[i] = radius * Math.cos(angle);
            py[i] = radius * Math.sin(angle);
        }
        boolean inside = false;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            if ((py[i] > y) != (py[j] > y) && x < (px[j] - px[i]) * (y - py[i]) / (py[j] - py[i]) + px[i]) {
                inside = !inside;
            }
        }
        return inside;
    }
}
