package dev.osmosis.engine.train.shapes;

import java.awt.image.BufferedImage;

/**
 * A rendered scene: RGB pixels, one ground-truth mask per object and the edge map of all objects
 * (the conditions issue trains ControlNet-style models on masks and edges).
 *
 * @param rgb interleaved [H, W, 3]
 * @param masks per object, [H * W] true where the object covers at least half the pixel
 * @param edges [H * W] true on object boundaries
 */
public record RenderedScene(Scene scene, int size, byte[] rgb, boolean[][] masks, boolean[] edges) {

    public BufferedImage image() {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int i = 0, k = 0; i < size * size; i++, k += 3) {
            out.setRGB(i % size, i / size, ((rgb[k] & 0xff) << 16) | ((rgb[k + 1] & 0xff) << 8) | (rgb[k + 2] & 0xff));
        }
        return out;
    }

    public BufferedImage maskImage(int object) {
        return binary(masks[object]);
    }

    public BufferedImage edgeImage() {
        return binary(edges);
    }

    private BufferedImage binary(boolean[] map) {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < size * size; i++) {
            out.getRaster().setSample(i % size, i / size, 0, map[i] ? 255 : 0);
        }
        return out;
    }
}
