package dev.osmosis.engine.train.ldm;

import ai.djl.ndarray.NDManager;
import dev.osmosis.engine.nn.Weights;
import dev.osmosis.engine.text.ClipTokenizer;
import dev.osmosis.engine.train.Initialization;
import dev.osmosis.engine.train.Parameters;
import dev.osmosis.engine.train.TrainingCheckpoint;
import dev.osmosis.engine.train.shapes.ShapesDataset;
import dev.osmosis.engine.vae.AutoencoderKL;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The whole recipe of the embedded model, as resumable stages over one work folder:
 * <pre>
 *   1 vae      train the autoencoder                       work/vae.ckpt.safetensors
 *   2 latents  encode the training scenes once             work/latents/part-NNN.safetensors
 *   3 unet     train text encoder + UNet on the latents    work/unet.ckpt.safetensors
 *   4 export   EMA weights as a diffusers folder (fp16)     out/
 * </pre>
 * Running it again continues from the last checkpoint of the first unfinished stage; a finished run
 * only exports again.
 */
public final class ShapesTraining {
    public enum Stage { VAE, LATENTS, UNET, EXPORT }

    private final Path work;
    private final PrintStream log;

    public ShapesTraining(Path work, PrintStream log) {
        this.work = work;
        this.log = log;
    }

    public Path vaeCheckpoint() {
        return work.resolve("vae.ckpt.safetensors");
    }

    public Path unetCheckpoint() {
        return work.resolve("unet.ckpt.safetensors");
    }

    public Path latents() {
        return work.resolve("latents");
    }

    /**
     * The recipe this folder trains: the stored one when there is one (with step counts from
     * {@code requested}), else {@code requested}, stored.
     */
    public ShapesRecipe recipe(ShapesRecipe requested) {
        Path file = work.resolve("recipe.json");
        try {
            Files.createDirectories(work);
            if (Files.exists(file)) {
                ShapesRecipe stored = ShapesRecipe.read(file);
                if (!stored.sameModelAs(requested)) {
                    throw new IllegalArgumentException(work + " holds a run of another recipe (" + file
                            + "); only step counts may change when resuming. Use a new --work folder.");
                }
                ShapesRecipe merged = stored.withSteps(requested.vaeSteps(), requested.unetSteps())
                        .withLogging(requested.checkpointEvery(), requested.logEvery())
                        .withLrDecaySteps(requested.lrDecaySteps());
                if (merged.vaeSteps() != stored.vaeSteps() && Files.exists(latents())) {
                    throw new IllegalArgumentException("the latents were encoded by the finished autoencoder;"
                            + " its step count cannot change now (was " + stored.vaeSteps() + ")");
                }
                Files.writeString(file, merged.toJson());
                return merged;
            }
            Files.writeString(file, requested.toJson());
            return requested;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read or write", e);
        }
    }

    /**
     * Runs the stages up to and including {@code until}, stopping cleanly (after a checkpoint) at
     * {@code deadlineNanos}.
     *
     * @return the stage reached and finished, or null when time ran out first
     */
    public Stage run(ShapesRecipe requested, Path out, Stage until, long deadlineNanos) {
        ShapesRecipe recipe = recipe(requested);
        TinyArchitecture architecture = recipe.tinyArchitecture();
        ShapesDataset dataset = new ShapesDataset(recipe.datasetSeed(), ShapesDataset.Split.TRAIN);
        Map<String, String> meta = Map.of("recipe", recipe.toJson());

        VaeTrainer vae = new VaeTrainer(architecture, dataset, recipe.vae(), log);
        if (!vae.run(vaeCheckpoint(), deadlineNanos, meta)) {
            return null;
        }
        if (until == Stage.VAE) {
            return Stage.VAE;
        }

        if (!LatentCache.complete(latents(), recipe.scenes())) {
            long start = System.nanoTime();
            try (NDManager manager = NDManager.newBaseManager()) {
                AutoencoderKL model = loadVae(architecture, manager);
                LatentCache.build(latents(), model, dataset, architecture.imageSize(), recipe.scenes(),
                        recipe.encodeBatch(), deadlineNanos, log);
            }
            addSeconds("latents_seconds", (System.nanoTime() - start) / 1e9);
            if (!LatentCache.complete(latents(), recipe.scenes())) {
                return null;
            }
        }
        if (until == Stage.LATENTS) {
            return Stage.LATENTS;
        }

        LatentCache cache = LatentCache.load(latents(), recipe.scenes());
        double scaling = cache.scalingFactor();
        log.printf(Locale.ROOT, "latents: %,d scenes, scaling factor %.5f (mean %.4f unscaled)%n", cache.size(),
                scaling, cache.mean());
        TinyArchitecture scaled = architecture.withScalingFactor(scaling);
        ClipTokenizer tokenizer = ClipTokenizer.bundled(false);
        DiffusionTrainer diffusion = new DiffusionTrainer(scaled, cache, dataset, tokenizer, recipe.diffusion(), log);
        if (!diffusion.run(unetCheckpoint(), deadlineNanos, meta)) {
            return null;
        }
        if (until == Stage.UNET) {
            return Stage.UNET;
        }

        export(recipe, scaled, tokenizer, out);
        return Stage.EXPORT;
    }

    /**
     * Exports what the checkpoints hold now (the UNet's EMA at its last saved step), without training:
     * for looking at a run in progress. Safe while a run writes its checkpoints (they are replaced
     * atomically).
     */
    public void exportCurrent(ShapesRecipe requested, Path out) {
        ShapesRecipe recipe = recipe(requested);
        if (!java.nio.file.Files.exists(unetCheckpoint())) {
            throw new IllegalArgumentException(unetCheckpoint() + ": no UNet checkpoint yet to export");
        }
        LatentCache cache = LatentCache.load(latents(), recipe.scenes());
        TinyArchitecture scaled = recipe.tinyArchitecture().withScalingFactor(cache.scalingFactor());
        export(recipe, scaled, ClipTokenizer.bundled(false), out);
    }

    /** The trained autoencoder (its last weights, not averaged) in {@code manager}. */
    AutoencoderKL loadVae(TinyArchitecture architecture, NDManager manager) {
        Weights weights = Initialization.weights("vae", manager, 0);
        AutoencoderKL model = new AutoencoderKL(architecture.vae(), weights);
        Parameters.of(weights).load(TrainingCheckpoint.tensors(vaeCheckpoint(), TrainingCheckpoint.paramPrefix()),
                vaeCheckpoint().toString());
        return model;
    }

    private void export(ShapesRecipe recipe, TinyArchitecture architecture, ClipTokenizer tokenizer, Path out) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Weights vaeWeights = Initialization.weights("vae", manager, 0);
            AutoencoderKL vae = new AutoencoderKL(architecture.vae(), vaeWeights);
            Parameters vaeParameters = Parameters.of(vaeWeights);
            Map<String, float[]> vaeValues = TrainingCheckpoint.tensors(vaeCheckpoint(),
                    TrainingCheckpoint.paramPrefix());
            vaeParameters.load(vaeValues, vaeCheckpoint().toString());
            ShapesDataset dataset = new ShapesDataset(recipe.datasetSeed(), ShapesDataset.Split.TRAIN);
            LatentPreviewFit.Fit preview = LatentPreviewFit.fit(vae, dataset, 64, architecture.imageSize());
            log.printf(Locale.ROOT, "latent preview: least-squares fit, rmse %.3f%n", preview.rmse());

            TrainingVocabulary vocabulary = TrainingVocabulary.forShapes(tokenizer);
            DiffusionTrainer trainer = new DiffusionTrainer(architecture, null, dataset, tokenizer, recipe.diffusion(),
                    log);
            DiffusionTrainer.Models models = trainer.build(manager);
            Map<String, float[]> ema = TrainingCheckpoint.tensors(unetCheckpoint(), TrainingCheckpoint.emaPrefix());
            NamedTensors text = NamedTensors.of(models.parameters(), ema, DiffusionTrainer.TEXT);
            NamedTensors unet = NamedTensors.of(models.parameters(), ema, DiffusionTrainer.UNET);
            NamedTensors autoencoder = NamedTensors.of(vaeParameters, vaeValues, "");

            TrainingCheckpoint.Info vaeInfo = TrainingCheckpoint.peek(vaeCheckpoint());
            TrainingCheckpoint.Info unetInfo = TrainingCheckpoint.peek(unetCheckpoint());
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("recipe", recipe);
            facts.put("dataset", "osmosis procedural shapes, training split");
            facts.put("dataset_seed", recipe.datasetSeed());
            facts.put("training_scenes", recipe.scenes());
            facts.put("scene_selection", "training-split indices from 0: every two-object scene, every other"
                    + " single-object scene (LatentCache.selected)");
            facts.put("held_out_pairs", "colour (3 * shape + 1) mod 10 for each shape (ShapesDataset.isHeldOut)");
            facts.put("vae_steps", vaeInfo.step());
            facts.put("vae_seconds", vaeInfo.elapsedSeconds());
            facts.put("latents_seconds", seconds("latents_seconds"));
            facts.put("unet_steps", unetInfo.step());
            facts.put("unet_seconds", unetInfo.elapsedSeconds());
            facts.put("scaling_factor", architecture.vae().scalingFactor());
            facts.put("parameters", Map.of("vae", autoencoder.count(), "unet", unet.count(),
                    "text_encoder", text.count() - (long) vocabulary.size() * architecture.text().hiddenSize()
                            + (long) architecture.text().vocabSize() * architecture.text().hiddenSize()));
            facts.put("trained_vocabulary_rows", vocabulary.size());
            Objective objective = recipe.diffusion().objective(Math.max(0, unetInfo.step() - 1));
            facts.put("objective", objective.name().toLowerCase(Locale.ROOT));
            ModelExporter.export(out, architecture, autoencoder, unet, text, vocabulary, recipe.seed(), preview,
                    objective, facts);
            log.printf(Locale.ROOT, "exported to %s (%.1f MB)%n", out, folderBytes(out) / 1e6);
        }
    }

    private double seconds(String key) {
        Path file = work.resolve("times.properties");
        if (!Files.exists(file)) {
            return 0;
        }
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            return 0;
        }
        return Double.parseDouble(p.getProperty(key, "0"));
    }

    private void addSeconds(String key, double seconds) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty(key, Double.toString(seconds(key) + seconds));
        Path file = work.resolve("times.properties");
        try (var o = Files.newOutputStream(file)) {
            p.store(o, "wall-clock seconds of stages without checkpoints");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write", e);
        }
    }

    static long folderBytes(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}
