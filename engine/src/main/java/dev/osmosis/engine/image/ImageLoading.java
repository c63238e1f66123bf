package dev.osmosis.engine.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reads input images (img2img, conditions) with errors that name the file and the problem. */
public final class ImageLoading {
    /** Larger inputs are refused before decoding: a decompression bomb must not take the heap. */
    public static final long MAX_PIXELS = 64L * 1024 * 1024;

    private ImageLoading() {}

    public static BufferedImage read(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + ": image not found");
        }
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + ": not a readable image file");
        }
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": cannot decode image (" + e.getMessage() + ")");
        }
        if (image == null) {
            throw new IllegalArgumentException(file + ": not an image format this build can read (PNG, JPEG, BMP, GIF)");
        }
        if ((long) image.getWidth() * image.getHeight() > MAX_PIXELS) {
            throw new IllegalArgumentException(file + ": image is " + image.getWidth() + "x" + image.getHeight()
                    + ", larger than " + MAX_PIXELS + " pixels");
        }
        return image;
    }

    /** The image as RGB at exactly width x height (bicubic when it must be resized). */
    public static BufferedImage toRgb(BufferedImage image, int width, int height) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB && image.getWidth() == width && image.getHeight() == height) {
            return image;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Interleaved RGB bytes [H, W, 3]. */
    public static byte[] rgbBytes(BufferedImage rgb) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        byte[] out = new byte[w * h * 3];
        int k = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb.getRGB(x, y);
                out[k++] = (byte) (p >> 16);
                out[k++] = (byte) (p >> 8);
                out[k++] = (byte) p;
            }
        }
        return out;
    }

    public static BufferedImage fromRgbBytes(byte[] rgb, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int k = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = rgb[k++] & 0xff;
                int g = rgb[k++] & 0xff;
                int b = rgb[k++] & 0xff;
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }
}
