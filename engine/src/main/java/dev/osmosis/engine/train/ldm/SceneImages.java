package dev.osmosis.engine.train.ldm;

import dev.osmosis.engine.train.shapes.RenderedScene;

/** Rendered scenes as the networks take them: planar RGB floats in [-1, 1], whole or cropped. */
final class SceneImages {
    private SceneImages() {}

    /**
     * Writes a {@code crop x crop} window at ({@code x0}, {@code y0}) of the scene into
     * {@code out[offset ..]} as [3, crop, crop].
     */
    static void write(RenderedScene scene, int x0, int y0, int crop, float[] out, int offset) {
        int size = scene.size();
        byte[] rgb = scene.rgb();
        int plane = crop * crop;
        for (int y = 0; y < crop; y++) {
            for (int x = 0; x < crop; x++) {
                int src = ((y0 + y) * size + (x0 + x)) * 3;
                int dst = offset + y * crop + x;
                for (int c = 0; c < 3; c++) {
                    out[dst + c * plane] = (rgb[src + c] & 0xff) / 127.5f - 1f;
                }
            }
        }
    }

    /**
     * Per-pixel loss weights of the same window, repeated over the three channels: 1 on background,
     * 1 + {@code objectWeight} within {@code dilate} pixels of any object.
     */
    static void writeWeights(RenderedScene scene, int x0, int y0, int crop, int dilate, float objectWeight,
            float[] out, int offset) {
        int size = scene.size();
        boolean[] near = new boolean[size * size];
        for (boolean[] mask : scene.masks()) {
            for (int p = 0; p < mask.length; p++) {
                if (!mask[p]) {
                    continue;
                }
                int x = p % size;
                int y = p / size;
                for (int dy = -dilate; dy <= dilate; dy++) {
                    for (int dx = -dilate; dx <= dilate; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if (nx >= 0 && ny >= 0 && nx < size && ny < size) {
                            near[ny * size + nx] = true;
                        }
                    }
                }
            }
        }
        int plane = crop * crop;
        for (int y = 0; y < crop; y++) {
            for (int x = 0; x < crop; x++) {
                float w = near[(y0 + y) * size + x0 + x] ? 1 + objectWeight : 1;
                int dst = offset + y * crop + x;
                out[dst] = w;
                out[dst + plane] = w;
                out[dst + 2 * plane] = w;
            }
        }
    }
}
