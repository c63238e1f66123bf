package dev.osmosis.engine.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.function.UnaryOperator;

/**
 * Decodes a latent image as overlapping tiles, one after the other, and blends them linearly across
 * each overlap (diffusers' {@code AutoencoderKL.tiled_decode}), so memory is bounded by one tile.
 * The output is the weighted sum of the decoded tiles with the {@link TileLayout} weights, which sum
 * to 1 at every pixel: a decoder that only looks at nearby pixels gives exactly its one-piece result
 * wherever every tile covering a pixel reaches past that decoder's reach around it.
 */
final class TiledDecode {
    private TiledDecode() {}

    /**
     * @param latents [B, C, h, w]
     * @param scale output pixels per latent pixel
     * @param decodeTile [B, C, th, tw] -> [B, outChannels, th * scale, tw * scale]
     * @param progress told after each tile
     */
    static NDArray run(NDArray latents, int tile, int overlap, int scale, long outChannels,
            UnaryOperator<NDArray> decodeTile, TileProgress progress) {
        long[] s = latents.getShape().getShape();
        TileLayout rows = TileLayout.of(Math.toIntExact(s[2]), tile, overlap);
        TileLayout cols = TileLayout.of(Math.toIntExact(s[3]), tile, overlap);
        if (rows.count() == 1 && cols.count() == 1) {
            NDArray decoded = decodeTile.apply(latents);
            progress.tileDone(1, 1);
            return decoded;
        }
        int total = rows.count() * cols.count();
        NDManager manager = latents.getManager();
        NDArray out = manager.zeros(new Shape(s[0], outChannels, s[2] * scale, s[3] * scale));
        try {
            decodeTiles(latents, rows, cols, scale, decodeTile, progress, out, total);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    private static void decodeTiles(NDArray latents, TileLayout rows, TileLayout cols, int scale,
            UnaryOperator<NDArray> decodeTile, TileProgress progress, NDArray out, int total) {
        NDManager manager = latents.getManager();
        for (int r = 0; r < rows.count(); r++) {
            float[] rowWeights = rows.weights(r, scale);
            for (int c = 0; c < cols.count(); c++) {
                float[] colWeights = cols.weights(c, scale);
                try (NDScope scope = new NDScope()) {
                    NDArray part = latents.get(new NDIndex(":, :, {}:{}, {}:{}",
                            rows.start(r), rows.end(r), cols.start(c), cols.end(c)));
                    // separable weights: [1, 1, th, 1] * [1, 1, 1, tw]
                    NDArray weight = manager.create(rowWeights, new Shape(1, 1, rowWeights.length, 1))
                            .mul(manager.create(colWeights, new Shape(1, 1, 1, colWeights.length)));
                    NDIndex region = new NDIndex(":, :, {}:{}, {}:{}",
                            rows.start(r) * scale, rows.end(r) * scale, cols.start(c) * scale, cols.end(c) * scale);
                    out.set(region, out.get(region).add(decodeTile.apply(part).mul(weight)));
                }
                progress.tileDone(r * cols.count() + c + 1, total);
            }
        }
    }
}
