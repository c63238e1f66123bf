package dev.osmosis.engine.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.osmosis.engine.io.ConfigJson;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A cheap latent-to-RGB picture for per-step progress: each latent pixel becomes one RGB pixel by a
 * fixed linear map, rgb = factors^T * latent + bias in [-1, 1], then (rgb + 1) / 2. Thousands of
 * times cheaper than the VAE decoder; colours and shapes are right, detail is not.
 */
public final class LatentPreview {
    /**
     * SD 1.x/2.x (same VAE), applied to the scaled latents the pipeline holds. Factors fitted by
     * keturn to SD 1.4 decoder outputs ("Decoding latents to RGB without upscaling",
     * discuss.huggingface.co/t/23204, 2022), the approximation A1111 and other UIs show as
     * "approx cheap" previews. Rows are latent channels, columns R, G, B.
     */
    private static final float[][] SD_FACTORS = {
        {0.298f, 0.207f, 0.208f},
        {0.187f, 0.286f, 0.173f},
        {-0.158f, 0.189f, 0.264f},
        {-0.184f, -0.271f, -0.473f},
    };

    private final float[][] factors;
    private final float[] bias;

    /**
     * @param factors [latent_channels][3]: the R, G, B contribution of each latent channel
     * @param bias [3], added before mapping [-1, 1] to [0, 1]
     */
    public LatentPreview(float[][] factors, float[] bias) {
        for (float[] row : factors) {
            if (row.length != 3) {
                throw new IllegalArgumentException("each latent channel needs 3 factors (R, G, B), got " + row.length);
            }
        }
        if (bias.length != 3) {
            throw new IllegalArgumentException("bias needs 3 values (R, G, B), got " + bias.length);
        }
        this.factors = factors.clone();
        this.bias = bias.clone();
    }

    public static LatentPreview sd() {
        return new LatentPreview(SD_FACTORS, new float[3]);
    }

    /** Beside a VAE's config: the map fitted to that VAE (models trained here write one). */
    public static final String FILE = "latent_preview.json";

    /**
     * The map of {@code vaeDir}/{@value #FILE}, {"factors": [[r, g, b] per latent channel], "bias":
     * [r, g, b]}, or SD's when there is none (any SD-family VAE).
     */
    public static LatentPreview load(Path vaeDir) {
        Path file = vaeDir.resolve(FILE);
        if (!Files.exists(file)) {
            return sd();
        }
        return ConfigJson.read(file, json -> {
            JsonNode rows = json.get("factors");
            if (rows == null || !rows.isArray() || rows.isEmpty()) {
                throw new IllegalArgumentException("factors must be a list of [r, g, b] rows, one per latent channel");
            }
            float[][] factors = new float[rows.size()][];
            for (int c = 0; c < rows.size(); c++) {
                factors[c] = floats(ConfigJson.numbers("factors[" + c + "]", rows.get(c)));
            }
            return new LatentPreview(factors, floats(ConfigJson.numbers(json, "bias", List.of(0.0, 0.0, 0.0))));
        });
    }

    private static float[] floats(List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    /** The first image of the batch at latent size (h x w). */
    public BufferedImage render(NDArray latents) {
        return render(latents, 0, 1);
    }

    /**
     * @param latents [B, latent_channels, h, w] scaled latents, as the sampler holds them
     * @param scale nearest-neighbour upscaling: 1 for the latent size, {@link VaeConfig#downsampleFactor()}
     *     for the size of the final image
     * @return an RGB image of (w * scale) x (h * scale)
     */
    public BufferedImage render(NDArray latents, int batchIndex, int scale) {
        long[] s = latents.getShape().getShape();
        if (s.length != 4 || s[1] != factors.length) {
            throw new IllegalArgumentException("latents must be [batch, " + factors.length + ", height, width], got "
                    + latents.getShape());
        }
        if (batchIndex < 0 || batchIndex >= s[0] || scale < 1) {
            throw new IllegalArgumentException("batch index " + batchIndex + " of " + s[0] + ", scale " + scale);
        }
        int h = Math.toIntExact(s[2]);
        int w = Math.toIntExact(s[3]);
        float[] latent;
        try (NDArray one = latents.get(batchIndex); NDArray f32 = one.toType(DataType.FLOAT32, false)) {
            latent = f32.toFloatArray();
        }
        int plane = h * w;
        int[] row = new int[w * scale];
        BufferedImage image = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                int rgb = 0;
                for (int k = 0; k < 3; k++) {
                    float v = bias[k];
                    for (int c = 0; c < factors.length; c++) {
                        v += factors[c][k] * latent[c * plane + p];
                    }
                    rgb = rgb << 8 | toByte(v);
                }
                for (int i = 0; i < scale; i++) {
                    row[x * scale + i] = rgb;
                }
            }
            for (int i = 0; i < scale; i++) {
                image.setRGB(0, y * scale + i, row.length, 1, row, 0, row.length);
            }
        }
        return image;
    }

    /** [-1, 1] to 0..255, clamped. */
    private static int toByte(float v) {
        return Math.round(Math.max(0f, Math.min(1f, (v + 1f) / 2f)) * 255f);
    }
}
