package dev.osmosis.engine.train.ldm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.nn.OwnedTensors;
import dev.osmosis.engine.train.shapes.SceneRenderer;
import dev.osmosis.engine.train.shapes.ShapesDataset;
import dev.osmosis.engine.vae.AutoencoderKL;

/**
 * Fits the linear latent-to-RGB map of {@link dev.osmosis.engine.vae.LatentPreview} for a trained
 * autoencoder by least squares, as keturn fitted SD's: for each latent pixel (scaled latents, as the
 * sampler holds them), the target is the mean colour in [-1, 1] of the 8x8 patch it decodes to.
 * Solves the 5x5 normal equations (4 channels + bias) per colour channel.
 */
public final class LatentPreviewFit {
    /** @param factors [latent_channels][3]; @param bias [3]; @param rmse fit error in [-1, 1] units */
    public record Fit(float[][] factors, float[] bias, double rmse) {}

    private LatentPreviewFit() {}

    public static Fit fit(AutoencoderKL vae, ShapesDataset dataset, int scenes, int imageSize) {
        int c = vae.config().latentChannels();
        int f = vae.config().downsampleFactor();
        int k = c + 1;
        double[][] ata = new double[k][k];
        double[][] atb = new double[k][3];
        float scale = (float) vae.config().scalingFactor();
        java.util.List<double[]> rows = new java.util.ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
            int batch = 16;
            for (int from = 0; from < scenes; from += batch) {
                int b = Math.min(batch, scenes - from);
                float[] pixels = new float[b * 3 * imageSize * imageSize];
                for (int i = 0; i < b; i++) {
                    // far from the training cache's indices: scenes the fit has not been tuned on
                    SceneImages.write(SceneRenderer.render(dataset.scene(1_000_000_000L + from + i), imageSize), 0, 0,
                            imageSize, pixels,
                            i * 3 * imageSize * imageSize);
                }
                NDArray latents = vae.encode(OwnedTensors.of(manager, pixels, b, 3, imageSize, imageSize)).mean()
                        .mul(scale);
                NDArray decoded = vae.decode(latents);
                accumulate(latents.toFloatArray(), decoded.toFloatArray(), b, c, imageSize / f, f, ata, atb, rows);
            }
        }
        double[][] solution = solve(ata, atb);
        float[][] factors = new float[c][3];
        float[] bias = new float[3];
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < c; i++) {
                factors[i][j] = (float) solution[i][j];
            }
            bias[j] = (float) solution[c][j];
        }
        double se = 0;
        for (double[] r : rows) {
            for (int j = 0; j < 3; j++) {
                double predicted = bias[j];
                for (int i = 0; i < c; i++) {
                    predicted += factors[i][j] * r[i];
                }
                se += (predicted - r[c + j]) * (predicted - r[c + j]);
            }
        }
        return new Fit(factors, bias, Math.sqrt(se / (rows.size() * 3.0)));
    }

    private static void accumulate(float[] latents, float[] decoded, int b, int c, int side, int f, double[][] ata,
            double[][] atb, java.util.List<double[]> rows) {
        int image = side * f;
        for (int n = 0; n < b; n++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double[] row = new double[c + 4];
                    for (int i = 0; i < c; i++) {
                        row[i] = latents[((n * c + i) * side + y) * side + x];
                    }
                    row[c] = 1;
                    double[] rgb = new double[3];
                    for (int ch = 0; ch < 3; ch++) {
                        double sum = 0;
                        for (int dy = 0; dy < f; dy++) {
                            for (int dx = 0; dx < f; dx++) {
                                sum += decoded[((n * 3 + ch) * image + y * f + dy) * image + x * f + dx];
                            }
                        }
                        rgb[ch] = Math.max(-1, Math.min(1, sum / (f * f)));
                    }
                    for (int i = 0; i <= c; i++) {
                        for (int j = 0; j <= c; j++) {
                            ata[i][j] += row[i] * row[j];
                        }
                        for (int ch = 0; ch < 3; ch++) {
                            atb[i][ch] += row[i] * rgb[ch];
                        }
                    }
                    double[] kept = new double[c + 3];
                    System.arraycopy(row, 0, kept, 0, c);
                    System.arraycopy(rgb, 0, kept, c, 3);
                    rows.add(kept);
                }
            }
        }
    }

    /** Gauss-Jordan elimination with partial pivoting on [A | B]. */
    static double[][] solve(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        double[][] aug = new double[n][n + m];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, aug[i], 0, n);
            System.arraycopy(b[i], 0, aug[i], n, m);
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(aug[r][col]) > Math.abs(aug[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = aug[col];
            aug[col] = aug[pivot];
            aug[pivot] = tmp;
            double p = aug[col][col];
            if (Math.abs(p) < 1e-12) {
                throw new IllegalStateException("latent preview fit: singular system (latents carry no signal?)");
            }
            for (int j = col; j < n + m; j++) {
                aug[col][j] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != col && aug[r][col] != 0) {
                    double factor = aug[r][col];
                    for (int j = col; j < n + m; j++) {
                        aug[r][j] -= factor * aug[col][j];
                    }
                }
            }
        }
        double[][] x = new double[n][m];
        for (int i = 0; i < n; i++) {
            System.arraycopy(aug[i], n, x[i], 0, m);
        }
        return x;
    }
}
