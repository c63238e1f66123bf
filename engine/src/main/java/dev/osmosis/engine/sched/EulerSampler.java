package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;

/**
 * Euler's method on the probability-flow ODE dx/dsigma = (x - x0) / sigma (Karras et al. 2022,
 * Algorithm 2 without churn; k-diffusion's sample_euler). Default spacing: linspace, which gives
 * fractional timesteps.
 */
final class EulerSampler extends SigmaSampler {

    EulerSampler(SchedulerConfig config, int steps) {
        super(config, steps, spacedTable(config, steps));
    }

    @Override
    protected StepOutput advance(NDArray modelOutput, int i, NDArray sample, NoiseSource noise) {
        double sigma = sigma(i);
        double next = sigma(i + 1);
        NDArray denoised = prediction.denoised(modelOutput, sample, NoiseLevel.ofSigma(sigma));
        NDArray slope = derivative(sample, denoised, sigma);
        return new StepOutput(sample.add(slope.mul(next - sigma)), denoised);
    }
}
