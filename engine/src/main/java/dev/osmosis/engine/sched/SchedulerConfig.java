package dev.osmosis.engine.sched;

import com.fasterxml.jackson.databind.JsonNode;
import dev.osmosis.engine.io.ConfigJson;
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
        String spacing = ConfigJson.text(json, "timestep_spacing", null);
        return new SchedulerConfig(
                ConfigJson.integer(json, "num_train_timesteps", 1000),
                ConfigJson.number(json, "beta_start", 0.0001),
                ConfigJson.number(json, "beta_end", 0.02),
                BetaSchedule.fromName(ConfigJson.text(json, "beta_schedule", "linear")),
                ConfigJson.numbers(json, "trained_betas", List.of()),
                ConfigJson.bool(json, "set_alpha_to_one", true),
                ConfigJson.integer(json, "steps_offset", 0),
                PredictionType.fromName(ConfigJson.text(json, "prediction_type", "epsilon")),
                spacing == null ? null : TimestepSpacing.fromName(spacing),
                ConfigJson.bool(json, "clip_sample", false),
                ConfigJson.number(json, "clip_sample_range", 1.0),
                ConfigJson.bool(json, "rescale_betas_zero_snr", false),
                ConfigJson.integer(json, "original_inference_steps", 50),
                ConfigJson.number(json, "timestep_scaling", 10.0));
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

    /** This config with or without the zero-terminal-SNR rescaling of its betas. */
    public SchedulerConfig withRescaleBetasZeroSnr(boolean rescale) {
        return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule, trainedBetas,
                setAlphaToOne, stepsOffset, predictionType, timestepSpacing, clipSample, clipSampleRange, rescale,
                originalInferenceSteps, timestepScaling);
    }

    /** abar_t of every training timestep, as the samplers compute it (float32, like diffusers). */
    public float[] alphasCumprod() {
        return NoiseSchedule.alphasCumprod(this);
    }

    /** The configured spacing, or {@code classDefault} when the file has none. */
    TimestepSpacing spacingOr(TimestepSpacing classDefault) {
        return timestepSpacing == null ? classDefault : timestepSpacing;
    }
}
