package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * What the exponential-integrator solvers (DPM-Solver++, UniPC) share: they integrate in
 * half-log-SNR time lambda over variance-preserving samples, with a sigma table for whole
 * timesteps, unit initial noise and no input scaling.
 */
abstract class ExponentialIntegratorSampler extends AbstractSampler {
    /** One sigma per call, then the final level. */
    private final float[] sigmas;

    ExponentialIntegratorSampler(SchedulerConfig config, int steps, SigmaTable table) {
        super(config, steps, table.timesteps());
        this.sigmas = table.sigmas();
    }

    /** diffusers' solver timesteps: linspace and leading cut T into N + 1 parts and drop the last. */
    static float[] spacedTimesteps(SchedulerConfig config, int steps) {
        TimestepSpacing spacing = config.spacingOr(TimestepSpacing.LINSPACE);
        int trainSteps = config.numTrainTimesteps();
        if (spacing == TimestepSpacing.TRAILING) {
            return TimestepSpacing.rounded(spacing.timesteps(trainSteps, steps, config.stepsOffset()));
        }
        double[] parts = spacing.timesteps(trainSteps, steps + 1, config.stepsOffset());
        return TimestepSpacing.rounded(Arrays.copyOf(parts, steps));
    }

    /** The variance-preserving level of call {@code i} (alpha = 1 / sqrt(sigma^2 + 1)); i = calls() is the end. */
    protected final NoiseLevel level(int i) {
        return NoiseLevel.ofSigma(sigmas[i]).variancePreserving();
    }

    @Override
    float[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public float initNoiseSigma() {
        return 1f;
    }

    @Override
    public NDArray scaleModelInput(NDArray sample, int i) {
        checkIndex(i);
        return sample;
    }

    /** x = alpha x0 + sigma noise at the level of call {@code i}. */
    @Override
    public NDArray addNoise(NDArray original, NDArray noise, int i) {
        NoiseLevel level = level(checkIndex(i));
        return original.mul(level.alpha()).add(noise.mul(level.sigma()));
    }
}
