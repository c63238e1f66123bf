package dev.osmosis.engine.train.ldm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.engine.text.ClipTokenizer;
import dev.osmosis.engine.train.shapes.CaptionVariants;
import dev.osmosis.engine.train.shapes.ShapesDataset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainingVocabularyTest {
    private static final ClipTokenizer TOKENIZER = ClipTokenizer.bundled(false);

    @Test
    void everyCaptionTheWorldCanProduceMapsIntoTheWorkingVocabulary() {
        TrainingVocabulary vocabulary = TrainingVocabulary.forShapes(TOKENIZER);
        assertTrue(vocabulary.size() < 80, "rows: " + vocabulary.size());
        CaptionVariants variants = new CaptionVariants(CaptionVariants.Odds.training());
        SplittableRandom random = new SplittableRandom(5);
        for (ShapesDataset.Split split : ShapesDataset.Split.values()) {
            ShapesDataset dataset = new ShapesDataset(3, split);
            for (int i = 0; i < 300; i++) {
                long[] rows = vocabulary.toRows(TOKENIZER.encode77(variants.sample(dataset.scene(i), random)));
                assertEquals(77, rows.length);
                vocabulary.toRows(TOKENIZER.encode77(dataset.scene(i).caption()));
            }
        }
        vocabulary.toRows(TOKENIZER.encode77(""));
        assertThrows(IllegalArgumentException.class, () -> vocabulary.toRows(TOKENIZER.encode77("a photo of a cat")));
    }

    @Test
    void exportPutsTrainedRowsBackAtTheirClipIds() {
        TrainingVocabulary vocabulary = TrainingVocabulary.forShapes(TOKENIZER);
        int d = 4;
        float[] compact = new float[vocabulary.size() * d];
        for (int i = 0; i < compact.length; i++) {
            compact[i] = 100 + i;
        }
        String key = "text_model.embeddings.token_embedding.weight";
        Map<String, long[]> shapes = new LinkedHashMap<>(Map.of(key, new long[] {vocabulary.size(), d}));
        Map<String, float[]> values = new LinkedHashMap<>(Map.of(key, compact));
        var config = new dev.osmosis.engine.text.ClipTextConfig(d, 8, 1, 1, 77, 49408, "quick_gelu", 1e-5);
        NamedTensors full = ModelExporter.fullVocabulary(new NamedTensors(shapes, values), vocabulary, config, 1);
        assertArrayEquals(new long[] {49408, d}, full.shapes().get(key));
        float[] table = full.values().get(key);
        int red = TOKENIZER.tokenize("red")[0];
        int row = (int) vocabulary.toRows(new long[] {red})[0];
        for (int j = 0; j < d; j++) {
            assertEquals(compact[row * d + j], table[red * d + j]);
        }
        int untrained = TOKENIZER.tokenize("cat")[0];
        assertTrue(Math.abs(table[untrained * d]) < 0.2f, "untrained rows keep a small initialisation");
    }
}
