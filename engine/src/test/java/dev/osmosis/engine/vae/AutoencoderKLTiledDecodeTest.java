package dev.osmosis.engine.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.testing.Fixtures;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tiled decode. The blending is checked exactly with decoders whose reach is known; the VAE itself is
 * not local (every GroupNorm takes statistics over the whole tile and the mid block attends over all
 * of it), so against the one-piece decode it is only close, by the bounds measured below.
 */
class AutoencoderKLTiledDecodeTest {
    private static final int SCALE = 8;
    private static NDManager manager;
    private static AutoencoderKL vae;

    @BeforeAll
    static void load() {
        manager = NDManager.newBaseManager();
        vae = AutoencoderKL.load(Fixtures.tinySd1().resolve("vae"), manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static NDArray gaussian(long seed, int h, int w) {
        Random random = new Random(seed);
        float[] data = new float[4 * h * w];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return manager.create(data, new Shape(1, 4, h, w));
    }

    /** Channels 0..2, optionally box-blurred 3x3 in latent space (reach: one latent pixel), nearest x8. */
    private static UnaryOperator<NDArray> localDecoder(boolean blur) {
        return z -> {
            NDArray rgb = z.get(":, 0:3");
            if (blur) {
                NDArray kernel = manager.ones(new Shape(3, 1, 3, 3)).div(9f);
                rgb = ai.djl.nn.convolutional.Conv2d.conv2d(rgb, kernel, null, new Shape(1, 1), new Shape(1, 1),
                        new Shape(1, 1), 3).singletonOrThrow();
            }
            long[] s = rgb.getShape().getShape();
            return rgb.getNDArrayInternal().interpolation(new long[] {s[2] * SCALE, s[3] * SCALE}, 0, false);
        };
    }

    @Test
    void blendWeightsSumToOneSoAPointwiseDecoderIsReproducedEverywhere() {
        try (NDScope s = new NDScope()) {
            NDArray latents = gaussian(1, 20, 28);
            UnaryOperator<NDArray> decoder = localDecoder(false);
            float[] full = decoder.apply(latents).toFloatArray();
            float[] tiled = TiledDecode.run(latents, 12, 4, SCALE, 3, decoder, TileProgress.NONE).toFloatArray();
            assertArrayEquals(full, tiled, 1e-5f);
        }
    }

    @Test
    void aDecoderWithShortReachIsReproducedExactlyAwayFromTileEdges() {
        try (NDScope s = new NDScope()) {
            int h = 20;
            int w = 28;
            NDArray latents = gaussian(2, h, w);
            UnaryOperator<NDArray> decoder = localDecoder(true);
            float[] full = decoder.apply(latents).toFloatArray();
            float[] tiled = TiledDecode.run(latents, 12, 4, SCALE, 3, decoder, TileProgress.NONE).toFloatArray();
            boolean[] farRow = farFromInnerEdges(TileLayout.of(h, 12, 4), SCALE);
            boolean[] farCol = farFromInnerEdges(TileLayout.of(w, 12, 4), SCALE);
            int far = 0;
            int near = 0;
            double worstFar = 0;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h * SCALE; y++) {
                    for (int x = 0; x < w * SCALE; x++) {
                        int i = (c * h * SCALE + y) * w * SCALE + x;
                        if (farRow[y] && farCol[x]) {
                            worstFar = Math.max(worstFar, Math.abs(full[i] - tiled[i]));
                            far++;
                        } else {
                            near++;
                        }
                    }
                }
            }
            assertTrue(worstFar <= 1e-5, "largest difference away from tile edges: " + worstFar);
            assertTrue(far > near, far + " far pixels, " + near + " near a tile edge");
        }
    }

    /** Output positions at least {@code reach} away from the inner edges of every tile that covers them. */
    private static boolean[] farFromInnerEdges(TileLayout layout, int reach) {
        boolean[] far = new boolean[layout.size() * SCALE];
        for (int p = 0; p < far.length; p++) {
            far[p] = true;
            for (int k = 0; k < layout.count(); k++) {
                int start = layout.start(k) * SCALE;
                int end = layout.end(k) * SCALE;
                if (p >= start && p < end) {
                    far[p] &= (start == 0 || p - start >= reach) && (end == far.length || end - 1 - p >= reach);
                }
            }
        }
        return far;
    }

    /**
     * The measured gap on the tiny-sd1 VAE (random weights, these 24x40 latents, mean |decode| 0.44):
     * 12/4 tiles differ from the one-piece decode by mean 0.11, max 1.23; 16/8 by mean 0.072, max 0.88;
     * 24/12 by mean 0.042, max 0.49. The bounds below leave about 50% headroom.
     */
    @Test
    void tiledVaeDecodeStaysCloseToOnePieceAndCloserWithLargerTiles() {
        try (NDScope s = new NDScope()) {
            NDArray latents = gaussian(3, 24, 40);
            NDArray full = vae.decode(latents);
            double scale = full.abs().mean().getFloat();
            NDArray small = vae.decodeTiled(latents, 12, 4);
            NDArray large = vae.decodeTiled(latents, 24, 12);
            assertArrayEquals(full.getShape().getShape(), small.getShape().getShape());
            double smallGap = small.sub(full).abs().mean().getFloat();
            double largeGap = large.sub(full).abs().mean().getFloat();
            double largeMax = large.sub(full).abs().max().getFloat();
            assertTrue(smallGap < 0.35 * scale, "12/4 tiles: mean gap " + smallGap + ", mean |decode| " + scale);
            assertTrue(largeGap < 0.15 * scale, "24/12 tiles: mean gap " + largeGap + ", mean |decode| " + scale);
            assertTrue(largeMax < 0.75, "24/12 tiles: max gap " + largeMax);
            assertTrue(largeGap < smallGap, "larger tiles are closer: " + largeGap + " vs " + smallGap);
        }
    }

    @Test
    void latentsThatFitOneTileDecodeInOnePiece() {
        try (NDScope s = new NDScope()) {
            NDArray latents = gaussian(4, 6, 10);
            assertArrayEquals(vae.decode(latents).toFloatArray(), vae.decodeTiled(latents, 12, 4).toFloatArray(), 0f);
        }
    }

    @Test
    void decodeAutoTilesOnlyAboveTheAreaThreshold() {
        try (NDScope s = new NDScope()) {
            // 72 latents wide: two default (64-latent) tiles
            NDArray latents = gaussian(5, 6, 72);
            float[] full = vae.decode(latents).toFloatArray();
            assertArrayEquals(full, vae.decodeAuto(latents, 6 * 72).toFloatArray(), 0f);
            assertArrayEquals(full, vae.decodeAuto(latents).toFloatArray(), 0f);
            float[] tiled = vae.decodeTiled(latents, AutoencoderKL.DEFAULT_TILE_LATENT,
                    AutoencoderKL.DEFAULT_OVERLAP_LATENT).toFloatArray();
            assertArrayEquals(tiled, vae.decodeAuto(latents, 6 * 72 - 1).toFloatArray(), 0f);
            assertEquals(96 * 96, AutoencoderKL.DEFAULT_MAX_UNTILED_LATENT_AREA, "768x768 images decode in one piece");
        }
    }
}
