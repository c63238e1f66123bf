package dev.osmosis.engine.train.eval;

import dev.osmosis.engine.train.shapes.GridPosition;
import dev.osmosis.engine.train.shapes.Palette;
import dev.osmosis.engine.train.shapes.ShapeKind;
import dev.osmosis.engine.train.shapes.SizeClass;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the objects of a shapes-world image with plain image analysis, no learned judge:
 * <ol>
 *   <li>background: per row, the median of the four outermost pixels on each side; then a straight
 *       line per channel through the rows (plain and vertical-gradient backgrounds are exactly
 *       that), refitted without the rows an object touches;</li>
 *   <li>foreground: pixels further than {@link #THRESHOLD} (RGB distance) from the background of
 *       their row; 4-connected components of at least {@link #MIN_AREA} pixels are objects;</li>
 *   <li>colour: the mean of the component's interior pixels, nearest palette colour;</li>
 *   <li>coverage: each pixel's fraction of object colour against its background (0..1), so the
 *       mask is the pixels at least half covered, as the renderer defines it, and the area is the
 *       sum of coverage;</li>
 *   <li>shape: {@link ShapeFeatures} of that mask; position: the grid cell of its centroid; size:
 *       the size class whose radius is nearest (in ratio) to sqrt(area / unit area of the shape).</li>
 * </ol>
 */
public final class ShapeDetector {
    /** Palette colours are at least 80 apart, and the world keeps objects 60 from their background. */
    static final double THRESHOLD = 40;
    /** The smallest object (a small star) covers about 120 pixels of a 128x128 image. */
    static final int MIN_AREA = 30;

    /** One object found in the image. */
    public record DetectedObject(Palette colour, ShapeKind shape, GridPosition position, SizeClass size,
            double area, double centerX, double centerY, ShapeFeatures features) {}

    public List<DetectedObject> detect(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[][] rgb = new float[3][w * h];
        for (int i = 0; i < argb.length; i++) {
            rgb[0][i] = (argb[i] >> 16) & 0xff;
            rgb[1][i] = (argb[i] >> 8) & 0xff;
            rgb[2][i] = argb[i] & 0xff;
        }
        double[][] background = background(rgb, w, h);
        boolean[] foreground = new boolean[w * h];
        for (int i = 0; i < w * h; i++) {
            foreground[i] = distance(rgb, i, background[i / w]) > THRESHOLD;
        }
        int[] labels = new int[w * h];
        List<int[]> components = components(foreground, labels, w, h);
        List<DetectedObject> objects = new ArrayList<>();
        for (int c = 0; c < components.size(); c++) {
            int[] pixels = components.get(c);
            if (pixels.length >= MIN_AREA) {
                objects.add(describe(pixels, c + 1, labels, rgb, background, w, h));
            }
        }
        objects.sort(Comparator.comparingDouble(DetectedObject::area).reversed());
        return objects;
    }

    /** Background colour of every row: robust straight line per channel through the rows' border medians. */
    static double[][] background(float[][] rgb, int w, int h) {
        double[][] rows = new double[h][3];
        int border = Math.min(4, w / 4);
        float[] sample = new float[border * 2];
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < border; i++) {
                    sample[i] = rgb[c][y * w + i];
                    sample[border + i] = rgb[c][y * w + w - 1 - i];
                }
                Arrays.sort(sample);
                rows[y][c] = (sample[border - 1] + sample[border]) / 2.0;
            }
        }
        boolean[] use = new boolean[h];
        Arrays.fill(use, true);
        double[][] line = fitLines(rows, use);
        for (int iteration = 0; iteration < 3; iteration++) {
            double[] residual = new double[h];
            for (int y = 0; y < h; y++) {
                double s = 0;
                for (int c = 0; c < 3; c++) {
                    double d = rows[y][c] - (line[c][0] + line[c][1] * y);
                    s += d * d;
                }
                residual[y] = Math.sqrt(s);
            }
            double[] sorted = residual.clone();
            Arrays.sort(sorted);
            double limit = Math.max(8, 3 * sorted[h / 2]);
            int kept = 0;
            for (int y = 0; y < h; y++) {
                use[y] = residual[y] <= limit;
                kept += use[y] ? 1 : 0;
            }
            if (kept < h / 4) {
                break;
            }
            line = fitLines(rows, use);
        }
        double[][] out = new double[h][3];
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < 3; c++) {
                out[y][c] = line[c][0] + line[c][1] * y;
            }
        }
        return out;
    }

    /** Least-squares a + b y per channel over the rows in use. */
    private static double[][] fitLines(double[][] rows, boolean[] use) {
        double[][] line = new double[3][2];
        for (int c = 0; c < 3; c++) {
            double n = 0;
            double sy = 0;
            double sv = 0;
            double syy = 0;
            double syv = 0;
            for (int y = 0; y < rows.length; y++) {
                if (use[y]) {
                    n++;
                    sy += y;
                    sv += rows[y][c];
                    syy += (double) y * y;
                    syv += y * rows[y][c];
                }
            }
            double denominator = n * syy - sy * sy;
            double slope = denominator == 0 ? 0 : (n * syv - sy * sv) / denominator;
            line[c][0] = (sv - slope * sy) / n;
            line[c][1] = slope;
        }
        return line;
    }

    private static double distance(float[][] rgb, int i, double[] colour) {
        double dr = rgb[0][i] - colour[0];
        double dg = rgb[1][i] - colour[1];
        double db = rgb[2][i] - colour[2];
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }

    /** 4-connected components of the foreground; labels[i] = component number + 1. */
    private static List<int[]> components(boolean[] foreground, int[] labels, int w, int h) {
        List<int[]> out = new ArrayList<>();
        int[] stack = new int[w * h];
        for (int start = 0; start < w * h; start++) {
            if (!foreground[start] || labels[start] != 0) {
                continue;
            }
            int label = out.size() + 1;
            int top = 0;
            int count = 0;
            int[] members = new int[16];
            stack[top++] = start;
            labels[start] = label;
            while (top > 0) {
                int p = stack[--top];
                if (count == members.length) {
                    members = Arrays.copyOf(members, count * 2);
                }
                members[count++] = p;
                int x = p % w;
                int y = p / w;
                int[] neighbours = {x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1,
                    y < h - 1 ? p + w : -1};
                for (int q : neighbours) {
                    if (q >= 0 && foreground[q] && labels[q] == 0) {
                        labels[q] = label;
                        stack[top++] = q;
                    }
                }
            }
            out.add(Arrays.copyOf(members, count));
        }
        return out;
    }

    private static DetectedObject describe(int[] pixels, int label, int[] labels, float[][] rgb, double[][] background,
            int w, int h) {
        Palette colour = colour(pixels, label, labels, rgb, w, h);
        // coverage of the object colour over the component and the ring of pixels around it
        boolean[] near = new boolean[w * h];
        for (int p : pixels) {
            int x = p % w;
            int y = p / w;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx;
                    int ny = y + dy;
                    boolean inside = nx >= 0 && ny >= 0 && nx < w && ny < h;
                    if (inside && (labels[ny * w + nx] == 0 || labels[ny * w + nx] == label)) {
                        near[ny * w + nx] = true;
                    }
                }
            }
        }
        double area = 0;
        boolean[] mask = new boolean[w * h];
        boolean any = false;
        for (int p = 0; p < w * h; p++) {
            if (near[p]) {
                double alpha = coverage(rgb, p, background[p / w], colour);
                area += alpha;
                mask[p] = alpha >= 0.5;
                any |= mask[p];
            }
        }
        if (!any) {
            // nothing is half covered: describe the thresholded component itself
            for (int p : pixels) {
                mask[p] = true;
            }
            area = pixels.length;
        }
        Extent e = Extent.of(mask, w);
        double cx = e.cx();
        double cy = e.cy();
        ShapeFeatures features = MaskGeometry.features(mask, e.count(), cx, cy, e.minX(), e.minY(), e.maxX(), e.maxY(),
                w, h);
        ShapeKind shape = features.classify();
        int column = Math.min(2, Math.max(0, (int) (cx / w * 3)));
        int row = Math.min(2, Math.max(0, (int) (cy / h * 3)));
        double radius = Math.sqrt(area / ShapeFeatures.unitArea(shape)) / w;
        return new DetectedObject(colour, shape, GridPosition.of(column, row), sizeClass(radius), area, cx / w, cy / h,
                features);
    }

    /** Pixel count, centroid (pixel centres) and bounding box of a mask. */
    private record Extent(int count, double cx, double cy, int minX, int minY, int maxX, int maxY) {
        static Extent of(boolean[] mask, int w) {
            int count = 0;
            double sx = 0;
            double sy = 0;
            int minX = Integer.MAX_VALUE;
            int minY = Integer.MAX_VALUE;
            int maxX = -1;
            int maxY = -1;
            for (int p = 0; p < mask.length; p++) {
                if (mask[p]) {
                    int x = p % w;
                    int y = p / w;
                    count++;
                    sx += x + 0.5;
                    sy += y + 0.5;
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
            return new Extent(count, sx / count, sy / count, minX, minY, maxX, maxY);
        }
    }

    /** Mean colour of the pixels whose four neighbours are in the component too (rims mix with the background). */
    private static Palette colour(int[] pixels, int label, int[] labels, float[][] rgb, int w, int h) {
        double[] sum = new double[3];
        int n = 0;
        for (int pass = 0; pass < 2 && n == 0; pass++) {
            for (int p : pixels) {
                int x = p % w;
                int y = p / w;
                boolean interior = x > 0 && y > 0 && x < w - 1 && y < h - 1 && labels[p - 1] == label
                        && labels[p + 1] == label && labels[p - w] == label && labels[p + w] == label;
                if (interior || pass == 1) {
                    for (int c = 0; c < 3; c++) {
                        sum[c] += rgb[c][p];
                    }
                    n++;
                }
            }
        }
        return Palette.nearest(sum[0] / n, sum[1] / n, sum[2] / n);
    }

    /** Fraction of the object colour in a pixel: its projection on the segment background -> object colour. */
    private static double coverage(float[][] rgb, int p, double[] bg, Palette colour) {
        double ur = colour.r - bg[0];
        double ug = colour.g - bg[1];
        double ub = colour.b - bg[2];
        double length = ur * ur + ug * ug + ub * ub;
        if (length < 1) {
            return 0;
        }
        double t = ((rgb[0][p] - bg[0]) * ur + (rgb[1][p] - bg[1]) * ug + (rgb[2][p] - bg[2]) * ub) / length;
        return Math.max(0, Math.min(1, t));
    }

    /** The class whose radius is nearest in ratio (geometric mid-points 0.091 and 0.128 of the image side). */
    static SizeClass sizeClass(double radius) {
        SizeClass best = SizeClass.SMALL;
        double bestD = Double.MAX_VALUE;
        for (SizeClass s : SizeClass.values()) {
            double d = Math.abs(Math.log(radius / s.radius));
            if (d < bestD) {
                bestD = d;
                best = s;
            }
        }
        return best;
    }
}
