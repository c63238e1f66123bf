package dev.osmosis.engine.train.ldm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.engine.io.SafetensorsFile;
import dev.osmosis.engine.train.TrainingCheckpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training a shipped model further when its work folder is gone, at micro size. */
class WarmStartTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @Test
    void aWarmStartHoldsTheExportedWeightsAndTrainsOn(@TempDir Path dir) throws Exception {
        ShapesRecipe recipe = ShapesRecipe.micro();
        Path model = dir.resolve("model");
        new ShapesTraining(dir.resolve("first"), QUIET).run(recipe, model, ShapesTraining.Stage.EXPORT,
                Long.MAX_VALUE);

        ShapesTraining again = new ShapesTraining(dir.resolve("again"), QUIET);
        WarmStart.seed(model, again, QUIET);
        TrainingCheckpoint.Info unet = TrainingCheckpoint.peek(again.unetCheckpoint());
        assertEquals(recipe.unetSteps(), unet.step());
        assertEquals(Long.toString(recipe.unetSteps()), unet.metadata().get(DiffusionTrainer.OPTIMIZER_START));
        assertEquals(recipe.vaeSteps(), TrainingCheckpoint.peek(again.vaeCheckpoint()).step());

        // parameters and EMA are the exported (float16) UNet weights; the optimiser starts from zero
        Map<String, float[]> params = TrainingCheckpoint.tensors(again.unetCheckpoint(), "param/");
        Map<String, float[]> ema = TrainingCheckpoint.tensors(again.unetCheckpoint(), "ema/");
        Map<String, float[]> moments = TrainingCheckpoint.tensors(again.unetCheckpoint(), "adam.v/");
        try (SafetensorsFile st = SafetensorsFile.open(model.resolve("unet/diffusion_pytorch_model.safetensors"))) {
            for (String name : st.tensors().keySet()) {
                float[] shipped = st.floats(name);
                float[] p = params.get(DiffusionTrainer.UNET + name);
                for (int i = 0; i < shipped.length; i++) {
                    assertEquals(shipped[i], p[i], 0f, name);
                    assertEquals(shipped[i], ema.get(DiffusionTrainer.UNET + name)[i], 0f, name);
                    assertEquals(0f, moments.get(DiffusionTrainer.UNET + name)[i], 0f, name);
                }
            }
        }
        // the compact embedding rows are the exported table's rows at their CLIP ids
        TrainingVocabulary vocabulary = TrainingVocabulary.forShapes(dev.osmosis.engine.text.ClipTokenizer.bundled(false));
        String key = "text_model.embeddings.token_embedding.weight";
        float[] compact = params.get(DiffusionTrainer.TEXT + key);
        int d = compact.length / vocabulary.size();
        try (SafetensorsFile st = SafetensorsFile.open(model.resolve("text_encoder/model.safetensors"))) {
            float[] full = st.floats(key);
            for (int row = 0; row < vocabulary.size(); row++) {
                for (int j = 0; j < d; j++) {
                    assertEquals(full[vocabulary.clipId(row) * d + j], compact[row * d + j], 0f, "row " + row);
                }
            }
        }

        // the same work folder trains on (latents encoded again) and exports
        Path further = dir.resolve("further");
        assertEquals(ShapesTraining.Stage.EXPORT, again.run(recipe.withSteps(recipe.vaeSteps(),
                recipe.unetSteps() + 3), further, ShapesTraining.Stage.EXPORT, Long.MAX_VALUE));
        TrainingCheckpoint.Info after = TrainingCheckpoint.peek(again.unetCheckpoint());
        assertEquals(recipe.unetSteps() + 3, after.step());
        assertEquals(Long.toString(recipe.unetSteps()), after.metadata().get(DiffusionTrainer.OPTIMIZER_START));
        assertTrue(Files.isRegularFile(further.resolve("unet/diffusion_pytorch_model.safetensors")));
    }

    @Test
    void aWarmStartRefusesAFolderWithCheckpointsAndAModelWithoutTrainingFacts(@TempDir Path dir) throws Exception {
        ShapesTraining training = new ShapesTraining(dir.resolve("work"), QUIET);
        Path notOurs = Files.createDirectories(dir.resolve("not-ours"));
        Exception e = assertThrows(java.io.UncheckedIOException.class, () -> WarmStart.seed(notOurs, training, QUIET));
        assertTrue(e.getMessage().contains(ModelExporter.TRAINING_FILE), e.getMessage());

        Path model = dir.resolve("model");
        new ShapesTraining(dir.resolve("first"), QUIET).run(ShapesRecipe.micro(), model, ShapesTraining.Stage.EXPORT,
                Long.MAX_VALUE);
        WarmStart.seed(model, training, QUIET);
        e = assertThrows(IllegalArgumentException.class, () -> WarmStart.seed(model, training, QUIET));
        assertTrue(e.getMessage().contains("already holds checkpoints"), e.getMessage());
    }
}
