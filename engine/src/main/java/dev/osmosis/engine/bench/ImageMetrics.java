package dev.osmosis.engine.bench;

import java.awt.image.BufferedImage;

/** Fidelity of an image to a reference image of the same size: PSNR and SSIM over 8-bit RGB. */
public final class ImageMetrics {
    private static final double C1 = Math.pow(0.01 * 255, 2);
    private static final double C2 = Math.pow(0.03 * 255, 2);
    private static final int WINDOW = 11;
    private static final double SIGMA = 1.5;

    private ImageMetrics() {}

    /** 10 log10(255^2 / MSE) over all channels; infinite for identical images. */
    public static double psnr(BufferedImage a, BufferedImage b) {
        checkSameSize(a, b);
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    double d = ((p >> shift) & 0xff) - ((q >> shift) & 0xff);
                    sum += d * d;
                }
            }
        }
        double mse = sum / (3.0 * a.getWidth() * a.getHeight());
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /**
     * Mean SSIM (Wang et al. 2004) with the paper's 11x11 Gaussian window (sigma 1.5), K1 = 0.01,
     * K2 = 0.03, computed per channel on the valid region and averaged over R, G, B.
     */
    public static double ssim(BufferedImage a, BufferedImage b) {
        checkSameSize(a, b);
        double total = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            total += ssimChannel(channel(a, shift), channel(b, shift), a.getWidth(), a.getHeight());
        }
        return total / 3;
    }

    private static double ssimChannel(double[] x, double[] y, int w, int h) {
        double[] kernel = gaussian();
        int r = WINDOW / 2;
        if (w < WINDOW || h < WINDOW) {
            throw new IllegalArgumentException("SSIM needs images of at least " + WINDOW + " pixels a side");
        }
        double sum = 0;
        int count = 0;
        for (int cy = r; cy < h - r; cy++) {
            for (int cx = r; cx < w - r; cx++) {
                double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
                for (int j = -r; j <= r; j++) {
                    for (int i = -r; i <= r; i++) {
                        double k = kernel[j + r] * kernel[i + r];
                        double vx = x[(cy + j) * w + cx + i];
                        double vy = y[(cy + j) * w + cx + i];
                        mx += k * vx;
                        my += k * vy;
                        sxx += k * vx * vx;
                        syy += k * vy * vy;
                        sxy += k * vx * vy;
                    }
                }
                double vx = sxx - mx * mx;
                double vy = syy - my * my;
                double cov = sxy - mx * my;
                sum += ((2 * mx * my + C1) * (2 * cov + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
                count++;
            }
        }
        return sum / count;
    }

    private static double[] gaussian() {
        double[] k = new double[WINDOW];
        double total = 0;
        for (int i = 0; i < WINDOW; i++) {
            double d = i - WINDOW / 2;
            k[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
            total += k[i];
        }
        for (int i = 0; i < WINDOW; i++) {
            k[i] /= total;
        }
        return k;
    }

    private static double[] channel(BufferedImage image, int shift) {
        int w = image.getWidth();
        double[] out = new double[w * image.getHeight()];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (image.getRGB(x, y) >> shift) & 0xff;
            }
        }
        return out;
    }

    private static void checkSameSize(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new IllegalArgumentException("images differ in size: " + a.getWidth() + "x" + a.getHeight()
                    + " and " + b.getWidth() + "x" + b.getHeight());
        }
    }
}
