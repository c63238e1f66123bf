package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;

/**
 * DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++: Fast Solver for Guided Sampling of Diffusion
 * Probabilistic Models", Algorithm 2, midpoint form): an exponential integrator in lambda on the
 * data prediction x0, made second order with the previous step's x0. The first step, and the last
 * one down to sigma = 0, are first order. Default spacing linspace, or Karras et al.'s sigmas
 * ("DPM++ 2M Karras").
 */
final class DpmPlusPlus2MSampler extends ExponentialIntegratorSampler {
    private final History previousDenoised = new History(1);

    DpmPlusPlus2MSampler(SchedulerConfig config, int steps, boolean karrasSigmas) {
        super(config, steps, karrasSigmas
                ? SigmaTable.karras(config, steps)
                : SigmaTable.interpolated(config, spacedTimesteps(config, steps)));
    }

    @Override
    protected StepOutput advance(NDArray modelOutput, int i, NDArray sample, NoiseSource noise) {
        // 1. levels of this call and the next, and the step in lambda
        NoiseLevel now = level(i);
        NoiseLevel next = level(i + 1);
        double h = next.lambda() - now.lambda();
        double phi = next.alpha() * (Math.exp(-h) - 1);
        // 2. data prediction and the first-order (DDIM-like) update
        NDArray denoised = prediction.denoised(modelOutput, sample, now);
        NDArray prevSample = sample.mul(next.sigma() / now.sigma()).sub(denoised.mul(phi));
        // 3. second-order correction from the previous x0, except on the first and the last step
        if (!previousDenoised.isEmpty() && i < calls() - 1) {
            double r = (now.lambda() - level(i - 1).lambda()) / h;
            NDArray difference = denoised.sub(previousDenoised.get(0)).mul(1 / r);
            prevSample = prevSample.sub(difference.mul(0.5 * phi));
        }
        previousDenoised.push(denoised);
        return new StepOutput(prevSample, denoised);
    }
}
