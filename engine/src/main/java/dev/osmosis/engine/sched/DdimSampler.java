package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;

/**
 * Deterministic DDIM (Song et al. 2020, "Denoising Diffusion Implicit Models", eq. 12 with
 * eta = 0): predict x0 and eps, then x_prev = sqrt(abar_prev) x0 + sqrt(1 - abar_prev) eps,
 * where "prev" is one stride (T div N) earlier. Default spacing: leading.
 */
final class DdimSampler extends AlphaSampler {

    DdimSampler(SchedulerConfig config, int steps) {
        super(config, steps, spacedTimesteps(config, steps));
    }

    @Override
    protected StepOutput advance(NDArray modelOutput, int i, NDArray sample, NoiseSource noise) {
        int t = (int) timestep(i);
        NoiseLevel now = level(t);
        NoiseLevel prev = level(t - stride());
        NDArray denoised = clipped(prediction.denoised(modelOutput, sample, now));
        NDArray eps = prediction.epsilon(modelOutput, sample, now);
        return new StepOutput(denoised.mul(prev.alpha()).add(eps.mul(prev.sigma())), denoised);
    }
}
