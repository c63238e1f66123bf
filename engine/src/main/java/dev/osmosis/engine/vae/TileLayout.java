package dev.osmosis.engine.vae;

/**
 * Where the tiles of a tiled decode sit along one axis, and how much each counts at every output
 * position. Tiles have the full tile length (an edge tile is shifted inward rather than cut short,
 * so no tile decodes a sliver), are spread evenly, and overlap by at least the requested amount.
 * Across an overlap the weights ramp linearly from one tile to the next, as diffusers'
 * {@code AutoencoderKL.blend_v/blend_h} do; weights are normalised so they sum to 1 everywhere.
 */
final class TileLayout {
    private final int size;
    private final int[] starts;
    private final int length;

    private TileLayout(int size, int[] starts, int length) {
        this.size = size;
        this.starts = starts;
        this.length = length;
    }

    /** @param size latent length of the axis; tile and overlap in latent pixels, 0 <= overlap < tile */
    static TileLayout of(int size, int tile, int overlap) {
        if (tile <= 0 || overlap < 0 || overlap >= tile) {
            throw new IllegalArgumentException("need 0 <= overlap < tile, got tile " + tile + ", overlap " + overlap);
        }
        if (size <= tile) {
            return new TileLayout(size, new int[] {0}, size);
        }
        int stride = tile - overlap;
        int count = (size - overlap + stride - 1) / stride;
        int[] starts = new int[count];
        for (int k = 0; k < count; k++) {
            starts[k] = (int) Math.round((double) k * (size - tile) / (count - 1));
        }
        return new TileLayout(size, starts, tile);
    }

    int count() {
        return starts.length;
    }

    int start(int k) {
        return starts[k];
    }

    int end(int k) {
        return starts[k] + length;
    }

    /** The blend weight of tile k at each of its output positions, with {@code scale} output pixels per latent. */
    float[] weights(int k, int scale) {
        float[] w = new float[length * scale];
        for (int i = 0; i < w.length; i++) {
            int p = starts[k] * scale + i;
            double total = 0;
            for (int j = 0; j < starts.length; j++) {
                if (p >= starts[j] * scale && p < end(j) * scale) {
                    total += ramp(j, p, scale);
                }
            }
            w[i] = (float) (ramp(k, p, scale) / total);
        }
        return w;
    }

    /**
     * Rises across the overlap with the previous tile and falls across the overlap with the next,
     * sampled at pixel centres so no covered position gets weight 0. Where only two tiles overlap
     * the two ramps already sum to 1.
     */
    private double ramp(int k, int p, int scale) {
        double start = starts[k] * scale;
        double end = end(k) * scale;
        double w = 1;
        if (k > 0 && p < end(k - 1) * scale) {
            w = Math.min(w, (p - start + 0.5) / (end(k - 1) * scale - start));
        }
        if (k < starts.length - 1 && p >= starts[k + 1] * scale) {
            double next = starts[k + 1] * scale;
            w = Math.min(w, (end - p - 0.5) / (end - next));
        }
        return w;
    }

    int size() {
        return size;
    }
}
