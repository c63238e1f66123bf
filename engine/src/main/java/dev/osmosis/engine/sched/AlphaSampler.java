package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;

/**
 * Samplers that move between whole training timesteps of the DDPM chain, on variance-preserving
 * samples x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps: unit initial noise, no input scaling.
 */
abstract class AlphaSampler extends AbstractSampler {
    private final float[] alphasCumprod;
    /** abar "before" timestep 0: 1, or abar_0 when set_alpha_to_one is false. */
    private final double finalAlphaCumprod;

    AlphaSampler(SchedulerConfig config, int steps, float[] timesteps) {
        super(config, steps, timesteps);
        this.alphasCumprod = NoiseSchedule.alphasCumprod(config);
        this.finalAlphaCumprod = config.setAlphaToOne() ? 1.0 : alphasCumprod[0];
    }

    /** Whole timesteps by the configured spacing, leading by default (DDIM, PNDM). */
    static float[] spacedTimesteps(SchedulerConfig config, int steps) {
        return TimestepSpacing.rounded(config.spacingOr(TimestepSpacing.LEADING)
                .timesteps(config.numTrainTimesteps(), steps, config.stepsOffset()));
    }

    /** abar_t, or the final value for the step past t = 0 (t < 0). */
    protected final double alphaCumprod(int t) {
        return t >= 0 ? alphasCumprod[t] : finalAlphaCumprod;
    }

    protected final NoiseLevel level(int t) {
        return NoiseLevel.ofAlphaCumprod(alphaCumprod(t));
    }

    /** The training-timestep stride of one step, T div N (diffusers' "previous timestep" rule). */
    protected final int stride() {
        return config.numTrainTimesteps() / steps;
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

    /** x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) noise at the timestep of call {@code i}. */
    @Override
    public NDArray addNoise(NDArray original, NDArray noise, int i) {
        NoiseLevel level = level((int) timestep(i));
        return original.mul(level.alpha()).add(noise.mul(level.sigma()));
    }
}
