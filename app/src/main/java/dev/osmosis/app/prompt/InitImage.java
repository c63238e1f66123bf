package dev.osmosis.app.prompt;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * The img2img input.
 *
 * @param source where it came from (a dropped file, a gallery image), for the label
 */
public record InitImage(Path source, BufferedImage image) {
    public String label() {
        return (source == null || source.getFileName() == null ? "image" : source.getFileName().toString())
                + " · " + image.getWidth() + "×" + image.getHeight();
    }
}
