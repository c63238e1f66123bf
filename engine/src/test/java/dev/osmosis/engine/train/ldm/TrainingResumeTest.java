package dev.osmosis.engine.train.ldm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.engine.model.ModelLoader;
import dev.osmosis.engine.model.StableDiffusionModel;
import dev.osmosis.engine.train.TrainingCheckpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole recipe at micro size: a run interrupted after each stage's first half and started
 * again ends in exactly the state of an uninterrupted run, and exports a model the loader reads.
 */
class TrainingResumeTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    /**
     * Adam's second moment below which a parameter's gradient is rounding noise (|g| of order 1e-7
     * or less): a convolution bias right before a GroupNorm has a zero gradient in exact arithmetic,
     * and libtorch's reductions are not bitwise reproducible across runs, so Adam, which divides by
     * sqrt(v), turns that noise into steps of either sign. Such elements are not compared.
     */
    private static final float ROUNDING_NOISE_SECOND_MOMENT = 1e-14f;

    @Test
    void aResumedRunEndsInTheSameStateAsAnUninterruptedOne(@TempDir Path dir) {
        ShapesRecipe recipe = ShapesRecipe.micro();
        ShapesTraining straight = new ShapesTraining(dir.resolve("straight"), QUIET);
        assertEquals(ShapesTraining.Stage.EXPORT, straight.run(recipe, dir.resolve("model"),
                ShapesTraining.Stage.EXPORT, Long.MAX_VALUE));

        ShapesTraining interrupted = new ShapesTraining(dir.resolve("interrupted"), QUIET);
        interrupted.run(recipe.withSteps(2, 2), dir.resolve("unused"), ShapesTraining.Stage.VAE, Long.MAX_VALUE);
        assertEquals(2, TrainingCheckpoint.peek(interrupted.vaeCheckpoint()).step());
        interrupted.run(recipe.withSteps(4, 2), dir.resolve("unused"), ShapesTraining.Stage.UNET, Long.MAX_VALUE);
        assertEquals(2, TrainingCheckpoint.peek(interrupted.unetCheckpoint()).step());
        assertEquals(ShapesTraining.Stage.UNET, interrupted.run(recipe, dir.resolve("unused"),
                ShapesTraining.Stage.UNET, Long.MAX_VALUE));

        for (Path[] pair : new Path[][] {{straight.vaeCheckpoint(), interrupted.vaeCheckpoint()},
            {straight.unetCheckpoint(), interrupted.unetCheckpoint()}}) {
            Map<String, float[]> secondMoments = TrainingCheckpoint.tensors(pair[0], "adam.v/");
            for (String prefix : new String[] {"param/", "adam.m/", "adam.v/", "ema/"}) {
                Map<String, float[]> a = TrainingCheckpoint.tensors(pair[0], prefix);
                Map<String, float[]> b = TrainingCheckpoint.tensors(pair[1], prefix);
                assertEquals(a.keySet(), b.keySet());
                a.forEach((name, values) -> {
                    float[] other = b.get(name);
                    for (int i = 0; i < values.length; i++) {
                        if (secondMoments.get(name)[i] < ROUNDING_NOISE_SECOND_MOMENT) {
                            continue;
                        }
                        assertEquals(values[i], other[i], 1e-6f, prefix + name + "[" + i + "]");
                    }
                });
            }
            assertEquals(TrainingCheckpoint.peek(pair[0]).step(), TrainingCheckpoint.peek(pair[1]).step());
        }
    }

    @Test
    void theExportedFolderIsADiffusersModelTheLoaderReads(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("model");
        new ShapesTraining(dir.resolve("work"), QUIET).run(ShapesRecipe.micro(), out, ShapesTraining.Stage.EXPORT,
                Long.MAX_VALUE);
        for (String file : new String[] {"model_index.json", "unet/config.json",
            "unet/diffusion_pytorch_model.safetensors", "vae/config.json", "vae/diffusion_pytorch_model.safetensors",
            "vae/" + ModelExporter.PREVIEW_FILE, "text_encoder/config.json", "text_encoder/model.safetensors",
            "tokenizer/vocab.json", "tokenizer/merges.txt", "scheduler/scheduler_config.json",
            ModelExporter.TRAINING_FILE}) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        try (StableDiffusionModel model = ModelLoader.load(out)) {
            assertEquals(49408, model.textEncoder().config().vocabSize());
            assertEquals(64, model.nativeResolution());
        }
    }
}
