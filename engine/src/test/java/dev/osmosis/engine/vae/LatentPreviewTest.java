package dev.osmosis.engine.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class LatentPreviewTest {
    @Test
    void previewHasTheLatentSizeOrTheImageSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray latents = m.randomNormal(new Shape(2, 4, 6, 10));
            BufferedImage small = LatentPreview.sd().render(latents);
            assertEquals(10, small.getWidth());
            assertEquals(6, small.getHeight());
            BufferedImage big = LatentPreview.sd().render(latents, 1, 8);
            assertEquals(80, big.getWidth());
            assertEquals(48, big.getHeight());
            // nearest upscaling: each latent pixel becomes an 8x8 block of one colour
            BufferedImage batch1 = LatentPreview.sd().render(latents, 1, 1);
            for (int dy = 0; dy < 8; dy++) {
                for (int dx = 0; dx < 8; dx++) {
                    assertEquals(batch1.getRGB(3, 2), big.getRGB(3 * 8 + dx, 2 * 8 + dy));
                }
            }
        }
    }

    @Test
    void coloursAreTheLinearMapOfTheLatentChannels() {
        try (NDManager m = NDManager.newBaseManager()) {
            // pixel 0: zero latent -> mid grey; pixel 1: channel 3 only -> the bluish-dark direction of SD's 4th channel
            NDArray latents = m.create(new float[] {0, 0, 0, 0, 0, 0, 0, 1}, new Shape(1, 4, 1, 2));
            BufferedImage image = LatentPreview.sd().render(latents);
            assertEquals(0x808080, image.getRGB(0, 0) & 0xffffff);
            int expected = rgb(-0.184f, -0.271f, -0.473f);
            assertEquals(expected, image.getRGB(1, 0) & 0xffffff);
        }
    }

    @Test
    void wrongChannelCountIsRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> LatentPreview.sd().render(m.zeros(new Shape(1, 3, 4, 4))));
        }
    }

    private static int rgb(float r, float g, float b) {
        return channel(r) << 16 | channel(g) << 8 | channel(b);
    }

    private static int channel(float v) {
        return Math.round((v + 1f) / 2f * 255f);
    }

    @Test
    void aVaeFolderWithAFittedMapUsesItAndOneWithoutUsesSds(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray latents = m.create(new float[] {1, 0, 0, 0}, new Shape(1, 4, 1, 1));
            assertEquals(LatentPreview.sd().render(latents).getRGB(0, 0), LatentPreview.load(dir).render(latents)
                    .getRGB(0, 0));
            java.nio.file.Files.writeString(dir.resolve(LatentPreview.FILE), "{\"factors\": [[1, -1, 0], [0, 0, 0],"
                    + " [0, 0, 0], [0, 0, 0]], \"bias\": [0, 0, 0.5]}");
            // channel 0 = 1: rgb = (1, -1, 0) + bias
            assertEquals(rgb(1, -1, 0.5f), LatentPreview.load(dir).render(latents).getRGB(0, 0) & 0xffffff);
        }
    }

    @Test
    void aMalformedMapNamesTheFileAndTheField(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Files.writeString(dir.resolve(LatentPreview.FILE), "{\"factors\": [[1, 2], [3, 4, 5]]}");
        var e = assertThrows(dev.osmosis.engine.io.ModelFormatException.class, () -> LatentPreview.load(dir));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(LatentPreview.FILE)
                && e.getMessage().contains("3 factors"), e.getMessage());
        java.nio.file.Files.writeString(dir.resolve(LatentPreview.FILE), "{\"factors\": [[1, \"x\", 0]]}");
        e = assertThrows(dev.osmosis.engine.io.ModelFormatException.class, () -> LatentPreview.load(dir));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("factors[0]"), e.getMessage());
    }
}
