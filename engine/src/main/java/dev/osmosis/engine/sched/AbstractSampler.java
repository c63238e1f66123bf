package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;
import java.util.Optional;

/**
 * What every sampler shares: the config, the per-call timesteps, index checks, the img2img start
 * and the record of the last denoised estimate (diffusers' pred_original_sample).
 *
 * <p>A sampler's state depends only on the calls it has seen, so starting at the img2img index
 * needs no repositioning.
 */
abstract class AbstractSampler implements Scheduler {
    protected final SchedulerConfig config;
    protected final PredictionType prediction;
    /** N, the number of denoising steps asked for. */
    protected final int steps;
    private final float[] timesteps;
    private NDArray lastDenoised;

    /** The result of one step: the next sample and, where the sampler forms one, the denoised estimate. */
    protected record StepOutput(NDArray prevSample, NDArray denoised) {}

    AbstractSampler(SchedulerConfig config, int steps, float[] timesteps) {
        this.config = config;
        this.prediction = config.predictionType();
        this.steps = steps;
        this.timesteps = timesteps;
    }

    /** Model calls per denoising step (diffusers' scheduler.order): 2 for Heun, else 1. */
    int order() {
        return 1;
    }

    /** The sampler's sigma table where it has one (one per call plus the final level), else empty. */
    float[] sigmas() {
        return new float[0];
    }

    /** The denoised estimate of the last step, if the sampler forms one; valid until the next step. */
    Optional<NDArray> lastDenoised() {
        return Optional.ofNullable(lastDenoised);
    }

    @Override
    public final float[] timesteps() {
        return timesteps.clone();
    }

    protected final float timestep(int i) {
        return timesteps[checkIndex(i)];
    }

    protected final int calls() {
        return timesteps.length;
    }

    @Override
    public final NDArray step(NDArray modelOutput, int i, NDArray sample, NoiseSource noise) {
        StepOutput out = advance(modelOutput, checkIndex(i), sample, noise);
        lastDenoised = out.denoised();
        return out.prevSample();
    }

    /** The update after model call {@code i}, see {@link Scheduler#step}. */
    protected abstract StepOutput advance(NDArray modelOutput, int i, NDArray sample, NoiseSource noise);

    @Override
    public int img2imgBegin(double strength) {
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be between 0 and 1, got " + strength);
        }
        int init = Math.min((int) (steps * strength), steps);
        if (init == 0) {
            throw new IllegalArgumentException(
                    "strength " + strength + " with " + steps + " steps leaves no step to denoise");
        }
        return Math.max(steps - init, 0) * order();
    }

    /** x0 clamped to [-clip_sample_range, clip_sample_range] when the config asks for it. */
    protected final NDArray clipped(NDArray denoised) {
        if (!config.clipSample()) {
            return denoised;
        }
        return denoised.clip(-config.clipSampleRange(), config.clipSampleRange());
    }

    protected final int checkIndex(int i) {
        if (i < 0 || i >= timesteps.length) {
            throw new IndexOutOfBoundsException(
                    "model call " + i + " is outside 0.." + (timesteps.length - 1) + " of this sampler");
        }
        return i;
    }
}
