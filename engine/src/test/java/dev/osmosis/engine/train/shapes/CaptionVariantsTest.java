package dev.osmosis.engine.train.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CaptionVariantsTest {
    private final CaptionVariants variants = new CaptionVariants(CaptionVariants.Odds.training());
    private final Scene two = new Scene(List.of(
            new SceneObject(ShapeKind.STAR, Palette.GREEN, SizeClass.LARGE, GridPosition.LEFT, 0, 0),
            new SceneObject(ShapeKind.SQUARE, Palette.YELLOW, SizeClass.SMALL, GridPosition.RIGHT, 0, 0)),
            new Background(Palette.WHITE, null));

    @Test
    void variantsAreAPureFunctionOfTheRandomStream() {
        for (int seed = 0; seed < 20; seed++) {
            assertEquals(variants.sample(two, new SplittableRandom(seed)),
                    variants.sample(two, new SplittableRandom(seed)));
        }
    }

    @Test
    void variantsIncludeTheFullCaptionShorterOnesAndBothOrders() {
        Set<String> seen = new HashSet<>();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            String caption = variants.sample(two, random);
            seen.add(caption);
            // whatever is left out, what is said stays bound to the right object
            assertTrue(caption.contains("green star") && caption.contains("yellow square"), caption);
            assertTrue(!caption.contains("on the left") || caption.contains("star on the left")
                    || caption.contains("star on the left"), caption);
        }
        assertTrue(seen.contains(two.caption()), "the full caption");
        assertTrue(seen.contains("a yellow square on the right and a green star on the left on a white background"));
        assertTrue(seen.contains("a green star and a yellow square"));
        assertTrue(seen.stream().anyMatch(c -> c.contains("large green star")), "sizes are sometimes named");
    }

    @Test
    void everyWordOfEveryVariantIsInTheWordList() {
        Set<String> words = new HashSet<>(CaptionVariants.words());
        ShapesDataset dataset = new ShapesDataset(8, ShapesDataset.Split.TRAIN);
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 500; i++) {
            for (String word : variants.sample(dataset.scene(i), random).split(" ")) {
                assertTrue(words.contains(word), word);
            }
        }
    }
}
