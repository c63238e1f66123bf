package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;

/**
 * Euler ancestral (k-diffusion's sample_euler_ancestral): the next level sigma_next is split into
 * sigma_down^2 + sigma_up^2; an Euler step goes down to sigma_down and fresh noise of sigma_up is
 * added, as ancestral sampling of a DDPM does (Ho et al. 2020). Noise comes from the
 * {@link NoiseSource}, one draw per step that ends above sigma = 0.
 */
final class EulerAncestralSampler extends SigmaSampler {

    EulerAncestralSampler(SchedulerConfig config, int steps) {
        super(config, steps, spacedTable(config, steps));
    }

    @Override
    protected StepOutput advance(NDArray modelOutput, int i, NDArray sample, NoiseSource noise) {
        double sigma = sigma(i);
        double next = sigma(i + 1);
        // 1. split the next level into the deterministic part and fresh noise
        double up = Math.sqrt(next * next * (sigma * sigma - next * next) / (sigma * sigma));
        double down = Math.sqrt(next * next - up * up);
        // 2. Euler step down to sigma_down
        NDArray denoised = prediction.denoised(modelOutput, sample, NoiseLevel.ofSigma(sigma));
        NDArray prevSample = sample.add(derivative(sample, denoised, sigma).mul(down - sigma));
        // 3. fresh noise up to sigma_next
        if (next > 0) {
            prevSample = prevSample.add(noise.next(prevSample).mul(up));
        }
        return new StepOutput(prevSample, denoised);
    }
}
