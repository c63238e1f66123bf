package dev.osmosis.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.engine.pipeline.CancellationToken;
import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.StableDiffusionPipeline;
import dev.osmosis.engine.train.eval.ShapeDetector;
import dev.osmosis.engine.train.shapes.Palette;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model that ships in resources/models loads and draws the colours it is asked for: a guard
 * against a broken, truncated or swapped model, not a quality benchmark (that is
 * {@code ./osmosis eval shapes}) and not a timing test.
 */
class EmbeddedModelTest {
    /** Object colour, background colour, prompt. */
    private record Case(Palette object, Palette background, String prompt) {}

    private static final List<Case> CASES = List.of(
            new Case(Palette.RED, Palette.WHITE, "a large red circle in the center on a white background"),
            new Case(Palette.BLUE, Palette.YELLOW, "a large blue square in the center on a yellow background"),
            new Case(Palette.YELLOW, Palette.BLACK, "a large yellow triangle in the center on a black background"),
            new Case(Palette.GREEN, Palette.PINK, "a large green star in the center on a pink background"),
            new Case(Palette.ORANGE, Palette.BLUE, "a large orange ring in the center on a blue background"),
            new Case(Palette.WHITE, Palette.PURPLE, "a large white diamond in the center on a purple background"),
            new Case(Palette.BLACK, Palette.CYAN, "a large black cross in the center on a cyan background"),
            new Case(Palette.PURPLE, Palette.GREEN, "a large purple circle in the center on a green background"));

    @Test
    void theEmbeddedModelIsFoundFromTheWorkingDirectoryAndItsParents() {
        Path dir = EmbeddedModel.require();
        assertTrue(Files.isRegularFile(dir.resolve("model_index.json")));
        assertEquals(EmbeddedModel.DEFAULT_NAME, dir.getFileName().toString());
    }

    @Test
    void theEmbeddedModelIsSmallAndDrawsThePromptedColours() throws Exception {
        Path dir = EmbeddedModel.require();
        long bytes;
        try (var files = Files.walk(dir)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        assertTrue(bytes <= 25_000_000, "the shipped model is " + bytes + " bytes, over 25 MB");
        ShapeDetector detector = new ShapeDetector();
        int backgrounds = 0;
        int objects = 0;
        StringBuilder seen = new StringBuilder();
        try (StableDiffusionModel model = ModelLoader.load(dir)) {
            StableDiffusionPipeline pipeline = new StableDiffusionPipeline(model);
            for (int i = 0; i < CASES.size(); i++) {
                Case c = CASES.get(i);
                GenerationRequest request = GenerationRequest.builder().prompt(c.prompt()).steps(20).cfgScale(7.5)
                        .seed(100 + i).size(128, 128).build();
                BufferedImage image = pipeline.generate(request, p -> { }, new CancellationToken()).images().get(0);
                Palette background = borderColour(image);
                List<Palette> found = detector.detect(image).stream().map(ShapeDetector.DetectedObject::colour).toList();
                backgrounds += background == c.background() ? 1 : 0;
                objects += found.contains(c.object()) ? 1 : 0;
                seen.append(String.format("%n%s -> background %s, objects %s", c.prompt(), background, found));
            }
        }
        // the shipped model gets 8 of 8 of each on this machine; a broken or untrained one next to none
        assertTrue(backgrounds >= MIN_BACKGROUNDS && objects >= MIN_OBJECTS,
                backgrounds + " backgrounds and " + objects + " objects of " + CASES.size() + " right:" + seen);
    }

    private static final int MIN_BACKGROUNDS = 6;
    private static final int MIN_OBJECTS = 6;

    /** The palette colour nearest to the median of the outermost ring of pixels. */
    private static Palette borderColour(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int n = 2 * w + 2 * (h - 2);
        int[][] channels = new int[3][n];
        int k = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y == 0 || y == h - 1 || x == 0 || x == w - 1) {
                    int rgb = image.getRGB(x, y);
                    channels[0][k] = rgb >> 16 & 0xff;
                    channels[1][k] = rgb >> 8 & 0xff;
                    channels[2][k] = rgb & 0xff;
                    k++;
                }
            }
        }
        for (int[] c : channels) {
            Arrays.sort(c);
        }
        return Palette.nearest(channels[0][n / 2], channels[1][n / 2], channels[2][n / 2]);
    }
}
