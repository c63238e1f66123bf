package dev.osmosis.engine.train.shapes;

/**
 * Rasterises a scene analytically with 4x4 supersampling, so the result depends only on the scene
 * (no Java2D anti-aliasing differences between JDKs). Later objects are drawn over earlier ones.
 */
public final class SceneRenderer {
    private static final int SUPERSAMPLE = 4;

    private SceneRenderer() {}

    public static RenderedScene render(Scene scene, int size) {
        int n = size * size;
        double[] r = new double[n];
        double[] g = new double[n];
        double[] b = new double[n];
        for (int y = 0; y < size; y++) {
            int[] bg = scene.background().rgbAt((y + 0.5) / size);
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                r[i] = bg[0];
                g[i] = bg[1];
                b[i] = bg[2];
            }
        }
        boolean[][] masks = new boolean[scene.objects().size()][n];
        for (int o = 0; o < scene.objects().size(); o++) {
            SceneObject obj = scene.objects().get(o);
            double cx = obj.centerX() * size;
            double cy = obj.centerY() * size;
            double radius = obj.size().radius * size;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double coverage = coverage(obj.shape(), x, y, cx, cy, radius);
                    if (coverage == 0) {
                        continue;
                    }
                    int i = y * size + x;
                    r[i] += (obj.colour().r - r[i]) * coverage;
                    g[i] += (obj.colour().g - g[i]) * coverage;
                    b[i] += (obj.colour().b - b[i]) * coverage;
                    masks[o][i] = coverage >= 0.5;
                }
            }
            // an object drawn on top hides the covered part of earlier ones
            for (int earlier = 0; earlier < o; earlier++) {
                for (int i = 0; i < n; i++) {
                    masks[earlier][i] &= !masks[o][i];
                }
            }
        }
        byte[] rgb = new byte[n * 3];
        for (int i = 0; i < n; i++) {
            rgb[i * 3] = (byte) Math.round(r[i]);
            rgb[i * 3 + 1] = (byte) Math.round(g[i]);
            rgb[i * 3 + 2] = (byte) Math.round(b[i]);
        }
        return new RenderedScene(scene, size, rgb, masks, edges(masks, size));
    }

    private static double coverage(ShapeKind shape, int px, int py, double cx, double cy, double radius) {
        if (Math.abs(px + 0.5 - cx) > radius + 1 || Math.abs(py + 0.5 - cy) > radius + 1) {
            return 0;
        }
        int inside = 0;
        for (int sy = 0; sy < SUPERSAMPLE; sy++) {
            for (int sx = 0; sx < SUPERSAMPLE; sx++) {
                double x = (px + (sx + 0.5) / SUPERSAMPLE - cx) / radius;
                double y = (py + (sy + 0.5) / SUPERSAMPLE - cy) / radius;
                if (shape.contains(x, y)) {
                    inside++;
                }
            }
        }
        return inside / (double) (SUPERSAMPLE * SUPERSAMPLE);
    }

    /** A pixel is an edge when its object label differs from a 4-neighbour's. */
    private static boolean[] edges(boolean[][] masks, int size) {
        int[] label = new int[size * size];
        for (int o = 0; o < masks.length; o++) {
            for (int i = 0; i < label.length; i++) {
                if (masks[o][i]) {
                    label[i] = o + 1;
                }
            }
        }
        boolean[] edges = new boolean[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int l = label[y * size + x];
                boolean edge = (x > 0 && label[y * size + x - 1] != l) || (x < size - 1 && label[y * size + x + 1] != l)
                        || (y > 0 && label[(y - 1) * size + x] != l) || (y < size - 1 && label[(y + 1) * size + x] != l);
                edges[y * size + x] = edge && l != 0;
            }
        }
        return edges;
    }
}
