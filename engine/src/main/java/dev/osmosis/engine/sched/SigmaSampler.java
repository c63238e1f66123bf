package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;

/**
 * Samplers in the k-diffusion parameterisation (Karras et al. 2022, "Elucidating the Design Space
 * of Diffusion-Based Generative Models"): the sample is x = x0 + sigma * eps, solved as the ODE
 * dx/dsigma = (x - x0) / sigma. The network sees x / sqrt(sigma^2 + 1) and the fractional
 * training timestep of sigma.
 */
abstract class SigmaSampler extends AbstractSampler {
    /** One sigma per model call, then the final level 0. */
    private final float[] sigmas;
    private final float initNoiseSigma;

    SigmaSampler(SchedulerConfig config, int steps, SigmaTable table) {
        super(config, steps, table.timesteps());
        this.sigmas = table.sigmas();
        this.initNoiseSigma = initNoiseSigma(sigmas, config.spacingOr(TimestepSpacing.LINSPACE));
    }

    /** The Euler family's table: timesteps by the spacing (default linspace), sigma interpolated there. */
    static SigmaTable spacedTable(SchedulerConfig config, int steps) {
        double[] spaced = config.spacingOr(TimestepSpacing.LINSPACE)
                .timesteps(config.numTrainTimesteps(), steps, config.stepsOffset());
        return SigmaTable.interpolated(config, TimestepSpacing.asFloats(spaced));
    }

    /** sigma_max, or sqrt(sigma_max^2 + 1) under leading spacing (diffusers' rule). */
    private static float initNoiseSigma(float[] sigmas, TimestepSpacing spacing) {
        float max = 0;
        for (float sigma : sigmas) {
            max = Math.max(max, sigma);
        }
        return spacing == TimestepSpacing.LEADING ? (float) Math.sqrt((double) max * max + 1) : max;
    }

    /** sigma of model call {@code i}; {@code sigma(calls())} is the final level. */
    protected final double sigma(int i) {
        return sigmas[i];
    }

    /** The slope of the probability-flow ODE, dx/dsigma = (x - x0) / sigma. */
    protected static NDArray derivative(NDArray sample, NDArray denoised, double sigma) {
        return sample.sub(denoised).div(sigma);
    }

    @Override
    float[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public float initNoiseSigma() {
        return initNoiseSigma;
    }

    @Override
    public NDArray scaleModelInput(NDArray sample, int i) {
        return sample.div(NoiseLevel.ofSigma(sigmas[checkIndex(i)]).norm());
    }

    /** x = x0 + sigma * noise at the level of call {@code i}. */
    @Override
    public NDArray addNoise(NDArray original, NDArray noise, int i) {
        return original.add(noise.mul(sigmas[checkIndex(i)]));
    }
}
