package dev.osmosis.engine.train.eval;

import java.util.ArrayList;
import java.util.List;

/** Convex hull, holes and moments of a binary mask: the measurements behind {@link ShapeFeatures}. */
final class MaskGeometry {
    private MaskGeometry() {}

    /**
     * @param count pixels set in {@code mask}
     * @param cx centroid x in pixels (pixel centres at +0.5)
     */
    static ShapeFeatures features(boolean[] mask, int count, double cx, double cy, int minX, int minY, int maxX,
            int maxY, int w, int h) {
        int bw = maxX - minX + 1;
        int bh = maxY - minY + 1;
        double hull = hullArea(mask, minX, minY, maxX, maxY, w);
        int holes = holes(mask, minX, minY, maxX, maxY, w);
        double boxCenterY = (minY + maxY + 1) / 2.0;
        return new ShapeFeatures(
                hull > 0 ? count / hull : 1,
                count / (double) (bw * bh),
                (cy - boxCenterY) / bh,
                bw / (double) bh,
                holes / (double) (holes + count));
    }

    /**
     * Area of the convex hull of the mask's pixel squares, each pixel counting as the square
     * [x, x+1] x [y, y+1], so a solid axis-aligned square has solidity 1. The hull of the
     * squares' corners is found by Andrew's monotone chain over each row's outermost pixels.
     */
    static double hullArea(boolean[] mask, int minX, int minY, int maxX, int maxY, int w) {
        List<double[]> points = new ArrayList<>();
        for (int y = minY; y <= maxY; y++) {
            int left = -1;
            int right = -1;
            for (int x = minX; x <= maxX; x++) {
                if (mask[y * w + x]) {
                    if (left < 0) {
                        left = x;
                    }
                    right = x;
                }
            }
            if (left >= 0) {
                points.add(new double[] {left, y});
                points.add(new double[] {left, y + 1});
                points.add(new double[] {right + 1, y});
                points.add(new double[] {right + 1, y + 1});
            }
        }
        points.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        int n = points.size();
        if (n < 3) {
            return 0;
        }
        double[][] hull = new double[2 * n][];
        int k = 0;
        for (double[] p : points) {
            while (k >= 2 && cross(hull[k - 2], hull[k - 1], p) <= 0) {
                k--;
            }
            hull[k++] = p;
        }
        for (int i = n - 2, lower = k + 1; i >= 0; i--) {
            double[] p = points.get(i);
            while (k >= lower && cross(hull[k - 2], hull[k - 1], p) <= 0) {
                k--;
            }
            hull[k++] = p;
        }
        double area = 0;
        for (int i = 0; i < k - 1; i++) {
            area += hull[i][0] * hull[i + 1][1] - hull[i + 1][0] * hull[i][1];
        }
        return Math.abs(area) / 2;
    }

    private static double cross(double[] o, double[] a, double[] b) {
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    }

    /** Pixels of the bounding box outside the mask that no path of such pixels links to the box's edge. */
    static int holes(boolean[] mask, int minX, int minY, int maxX, int maxY, int w) {
        int bw = maxX - minX + 1;
        int bh = maxY - minY + 1;
        boolean[] outside = new boolean[bw * bh];
        int[] stack = new int[bw * bh];
        int top = 0;
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) {
                boolean edge = x == 0 || y == 0 || x == bw - 1 || y == bh - 1;
                int i = y * bw + x;
                if (edge && !mask[(minY + y) * w + minX + x] && !outside[i]) {
                    outside[i] = true;
                    stack[top++] = i;
                }
            }
        }
        while (top > 0) {
            int i = stack[--top];
            int x = i % bw;
            int y = i / bw;
            int[] neighbours = {x > 0 ? i - 1 : -1, x < bw - 1 ? i + 1 : -1, y > 0 ? i - bw : -1,
                y < bh - 1 ? i + bw : -1};
            for (int j : neighbours) {
                if (j >= 0 && !outside[j] && !mask[(minY + j / bw) * w + minX + j % bw]) {
                    outside[j] = true;
                    stack[top++] = j;
                }
            }
        }
        int holes = 0;
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) {
                if (!outside[y * bw + x] && !mask[(minY + y) * w + minX + x]) {
                    holes++;
                }
            }
        }
        return holes;
    }
}
