package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;

/**
 * Latent Consistency Model multistep sampling (Luo et al. 2023, "Latent Consistency Models",
 * Algorithm 1 of Song et al. 2023's multistep consistency sampling): each call maps the sample to
 * the consistency function's estimate of x0, then re-noises it to the next timestep with fresh
 * noise from the {@link NoiseSource}. Timesteps are LCM's own: N spread over the
 * original_inference_steps-step schedule the model was distilled on; timestep_spacing is ignored.
 */
final class LcmSampler extends AlphaSampler {
    private static final double SIGMA_DATA = 0.5;

    LcmSampler(SchedulerConfig config, int steps) {
        super(config, steps, consistencyTimesteps(config, steps));
    }

    /** N of the original schedule's timesteps k - 1, 2k - 1, ..., T - 1 (k = T / original), largest first. */
    static float[] consistencyTimesteps(SchedulerConfig config, int steps) {
        int original = config.originalInferenceSteps();
        if (steps > original) {
            throw new IllegalArgumentException("steps (" + steps
                    + ") cannot exceed original_inference_steps (" + original + ") for LCM");
        }
        int stride = config.numTrainTimesteps() / original;
        float[] timesteps = new float[steps];
        for (int i = 0; i < steps; i++) {
            int skipped = (int) Math.floor(i * ((double) original / steps));
            timesteps[i] = (original - skipped) * stride - 1;
        }
        return timesteps;
    }

    @Override
    protected StepOutput advance(NDArray modelOutput, int i, NDArray sample, NoiseSource noise) {
        int t = (int) timestep(i);
        // 1. boundary conditions: c_skip -> 1 and c_out -> 0 as t -> 0
        double scaled = t * config.timestepScaling();
        double cSkip = SIGMA_DATA * SIGMA_DATA / (scaled * scaled + SIGMA_DATA * SIGMA_DATA);
        double cOut = scaled / Math.sqrt(scaled * scaled + SIGMA_DATA * SIGMA_DATA);
        // 2. the consistency function's output
        NDArray x0 = clipped(prediction.denoised(modelOutput, sample, level(t)));
        NDArray denoised = x0.mul(cOut).add(sample.mul(cSkip));
        if (i == calls() - 1) {
            return new StepOutput(denoised, denoised);
        }
        // 3. re-noise to the next timestep
        NoiseLevel next = level((int) timestep(i + 1));
        NDArray prevSample = denoised.mul(next.alpha()).add(noise.next(denoised).mul(next.sigma()));
        return new StepOutput(prevSample, denoised);
    }
}
