package dev.osmosis.engine.sched;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A diffusers scheduler_config.json: the training noise schedule and how to sample it.
 *
 * <p>Keys a file lacks take diffusers' defaults, with two exceptions: {@code timestepSpacing}
 * stays null so each sampler applies its own class default, and {@code clip_sample} defaults to
 * false (clamping x0 to [-1, 1] is meant for pixels, not latents).
 *
 * @param trainedBetas explicit betas replacing the schedule; empty when not given
 * @param timestepSpacing null: the sampler's default (DDIM, PNDM: leading; Euler, Heun, DPM: linspace)
 * @param originalInferenceSteps LCM only: the step count its consistency schedule is cut from
 * @param timestepScaling LCM only: scale of t in the consistency boundary conditions
 */
public record SchedulerConfig(
        int numTrainTimesteps,
        double betaStart,
        double betaEnd,
        BetaSchedule betaSchedule,
        List<Double> trainedBetas,
        boolean setAlphaToOne,
        int stepsOffset,
        PredictionType predictionType,
        TimestepSpacing timestepSpacing,
        boolean clipSample,
        double clipSampleRange,
        boolean rescaleBetasZeroSnr,
        int originalInferenceSteps,
        double timestepScaling) {

    public SchedulerConfig {
        if (numTrainTimesteps < 2) {
            throw new IllegalArgumentException("num_train_timesteps must be at least 2, got " + numTrainTimesteps);
        }
        if (betaSchedule == null) {
            throw new IllegalArgumentException("beta_schedule is required");
        }
        if (predictionType == null) {
            throw new IllegalArgumentException("prediction_type is required");
        }
        trainedBetas = trainedBetas == null ? List.of() : List.copyOf(trainedBetas);
        if (!trainedBetas.isEmpty() && trainedBetas.size() != numTrainTimesteps) {
            throw new IllegalArgumentException("trained_betas has " + trainedBetas.size()
                    + " entries but num_train_timesteps is " + numTrainTimesteps);
        }
        if (originalInferenceSteps < 1 || originalInferenceSteps > numTrainTimesteps) {
            throw new IllegalArgumentException("original_inference_steps must be between 1 and "
                    + numTrainTimesteps + ", got " + originalInferenceSteps);
        }
    }

    /** The scheduler_config.json shipped with Stable Diffusion 1.x and 2.x (for single-file checkpoints). */
    public static SchedulerConfig stableDiffusion() {
        return new SchedulerConfig(1000, 0.00085, 0.012, BetaSchedule.SCALED_LINEAR, List.of(), false, 1,
                PredictionType.EPSILON, null, false, 1.0, false, 50, 10.0);
    }

    /** Parses a scheduler_config.json; unknown keys (_class_name, skip_prk_steps, ...) are ignored. */
    public static SchedulerConfig fromJson(JsonNode json) {
        String spacing = text(json, "timestep_spacing", null);
        return new SchedulerConfig(
                integer(json, "num_train_timesteps", 1000),
                number(json, "beta_start", 0.0001),
                number(json, "beta_end", 0.02),
                BetaSchedule.fromName(text(json, "beta_schedule", "linear")),
                trainedBetas(json),
                bool(json, "set_alpha_to_one", true),
                integer(json, "steps_offset", 0),
                PredictionType.fromName(text(json, "prediction_type", "epsilon")),
                spacing == null ? null : TimestepSpacing.fromName(spacing),
                bool(json, "clip_sample", false),
                number(json, "clip_sample_range", 1.0),
                bool(json, "rescale_betas_zero_snr", false),
                integer(json, "original_inference_steps", 50),
                number(json, "timestep_scaling", 10.0));
    }

    /** This config for a network of another parameterisation ("epsilon" or "v_prediction"). */
    public SchedulerConfig withPredictionType(String name) {
        return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule, trainedBetas,
                setAlphaToOne, stepsOffset, PredictionType.fromName(name), timestepSpacing, clipSample,
                clipSampleRange, rescaleBetasZeroSnr, originalInferenceSteps, timestepScaling);
    }

    /** This config with another timestep spacing ("leading", "linspace", "trailing"). */
    public SchedulerConfig withTimestepSpacing(String name) {
        return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule, trainedBetas,
                setAlphaToOne, stepsOffset, predictionType, TimestepSpacing.fromName(name), clipSample,
                clipSampleRange, rescaleBetasZeroSnr, originalInferenceSteps, timestepScaling);
    }

    /** The configured spacing, or {@code classDefault} when the file has none. */
    TimestepSpacing spacingOr(TimestepSpacing classDefault) {
        return timestepSpacing == null ? classDefault : timestepSpacing;
    }

    private static List<Double> trainedBetas(JsonNode json) {
        JsonNode node = json.get("trained_betas");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("trained_betas must be a list of numbers");
        }
        List<Double> betas = new ArrayList<>();
        for (JsonNode beta : node) {
            if (!beta.isNumber()) {
                throw new IllegalArgumentException("trained_betas must be a list of numbers");
            }
            betas.add(beta.asDouble());
        }
        return betas;
    }

    private static JsonNode value(JsonNode json, String key) {
        JsonNode node = json.get(key);
        return node == null || node.isNull() ? null : node;
    }

    private static int integer(JsonNode json, String key, int fallback) {
        JsonNode node = value(json, key);
        if (node == null) {
            return fallback;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new IllegalArgumentException(key + " must be an integer, got " + node);
        }
        return node.intValue();
    }

    private static double number(JsonNode json, String key, double fallback) {
        JsonNode node = value(json, key);
        if (node == null) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw new IllegalArgumentException(key + " must be a number, got " + node);
        }
        return node.doubleValue();
    }

    private static boolean bool(JsonNode json, String key, boolean fallback) {
        JsonNode node = value(json, key);
        if (node == null) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false, got " + node);
        }
        return node.booleanValue();
    }

    private static String text(JsonNode json, String key, String fallback) {
        JsonNode node = value(json, key);
        if (node == null) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(key + " must be a string, got " + node);
        }
        return node.textValue();
    }
}
