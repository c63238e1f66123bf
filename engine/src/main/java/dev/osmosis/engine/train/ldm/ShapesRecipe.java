package dev.osmosis.engine.train.ldm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Every choice of a shapes training run, written to the work folder on the first run so a resumed
 * run continues the same recipe. Step counts may grow between sessions (to train longer); anything
 * else changing means a different model and needs a fresh work folder.
 *
 * @param vPredictionFrom the UNet step from which training goes on with v-prediction on the
 *     zero-terminal-SNR schedule ({@link Objective}); null (as in recipes written before it
 *     existed): epsilon throughout
 */
public record ShapesRecipe(
        String architecture,
        long seed,
        long datasetSeed,
        long vaeSteps,
        int vaeBatch,
        int vaeCrop,
        double vaeFullSizeFraction,
        double vaeLr,
        double klWeight,
        double objectWeight,
        int scenes,
        int encodeBatch,
        long unetSteps,
        int batch,
        double lr,
        long warmup,
        double weightDecay,
        double emaDecay,
        double captionDropout,
        double minSnrGamma,
        Long vPredictionFrom,
        Long lrDecaySteps,
        int checkpointEvery,
        int logEvery) {

    /** Autoencoder warm-up steps: fixed, so that raising the step count leaves the first steps as they were. */
    static final long VAE_WARMUP = 200;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The recipe of the shipped model. */
    public static ShapesRecipe defaults() {
        return new ShapesRecipe("shapes128", 1, 20240611, 14_000, 16, 64, 0.25, 1e-3, 1e-4, 9.0, 60_000, 32,
                40_000, 32, 3e-4, 1000, 0.01, 0.9995, 0.1, 5.0, 15_464L, 3_000L, 500, 50);
    }

    /** Seconds instead of hours: the micro architecture, a few steps of each stage (tests, smoke runs). */
    public static ShapesRecipe micro() {
        return new ShapesRecipe("micro", 1, 20240611, 4, 4, 32, 0.25, 1e-3, 1e-4, 9.0, 24, 8,
                4, 4, 1e-3, 2, 0.01, 0.9, 0.1, 5.0, 2L, 1L, 2, 2);
    }

    public TinyArchitecture tinyArchitecture() {
        return switch (architecture) {
            case "shapes128" -> TinyArchitecture.shapes128();
            case "shapes128-deep" -> TinyArchitecture.shapes128Deep();
            case "micro" -> TinyArchitecture.micro();
            default -> throw new IllegalArgumentException("unknown architecture '" + architecture + "'");
        };
    }

    public VaeTrainer.Settings vae() {
        return new VaeTrainer.Settings(vaeSteps, vaeBatch, vaeCrop, vaeFullSizeFraction, vaeLr, VAE_WARMUP,
                klWeight, objectWeight, seed, checkpointEvery, logEvery);
    }

    public DiffusionTrainer.Settings diffusion() {
        return new DiffusionTrainer.Settings(unetSteps, batch, lr, warmup, weightDecay, emaDecay, captionDropout,
                minSnrGamma, vPredictionFrom, lrDecaySteps == null ? 0 : lrDecaySteps, seed, checkpointEvery,
                logEvery);
    }

    public ShapesRecipe withSteps(long vae, long unet) {
        return new ShapesRecipe(architecture, seed, datasetSeed, vae, vaeBatch, vaeCrop, vaeFullSizeFraction, vaeLr,
                klWeight, objectWeight, scenes, encodeBatch, unet, batch, lr, warmup, weightDecay, emaDecay,
                captionDropout, minSnrGamma, vPredictionFrom, lrDecaySteps, checkpointEvery, logEvery);
    }

    public ShapesRecipe withLrDecaySteps(Long decay) {
        return new ShapesRecipe(architecture, seed, datasetSeed, vaeSteps, vaeBatch, vaeCrop, vaeFullSizeFraction, vaeLr,
                klWeight, objectWeight, scenes, encodeBatch, unetSteps, batch, lr, warmup, weightDecay, emaDecay,
                captionDropout, minSnrGamma, vPredictionFrom, decay, checkpointEvery, logEvery);
    }

    /** Equal apart from the step counts, the final decay (and how often it logs and saves). */
    public boolean sameModelAs(ShapesRecipe other) {
        ShapesRecipe a = withSteps(0, 0).withLogging(0, 0).withLrDecaySteps(null);
        ShapesRecipe b = other.withSteps(0, 0).withLogging(0, 0).withLrDecaySteps(null);
        return a.equals(b);
    }

    public ShapesRecipe withLogging(int checkpointEveryN, int logEveryN) {
        return new ShapesRecipe(architecture, seed, datasetSeed, vaeSteps, vaeBatch, vaeCrop, vaeFullSizeFraction,
                vaeLr, klWeight, objectWeight, scenes, encodeBatch, unetSteps, batch, lr, warmup, weightDecay, emaDecay,
                captionDropout, minSnrGamma, vPredictionFrom, lrDecaySteps, checkpointEveryN, logEveryN);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ShapesRecipe fromJson(String json) {
        try {
            return JSON.readValue(json, ShapesRecipe.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a shapes recipe: " + e.getMessage(), e);
        }
    }

    public static ShapesRecipe read(Path file) {
        try {
            return JSON.readValue(file.toFile(), ShapesRecipe.class);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": not a shapes recipe (" + e.getMessage() + ")", e);
        }
    }
}
