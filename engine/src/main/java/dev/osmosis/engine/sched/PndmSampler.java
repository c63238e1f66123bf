package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;

/**
 * PLMS, the pseudo linear multistep method of Liu et al. 2022 ("Pseudo Numerical Methods for
 * Diffusion Models on Manifolds"), run as diffusers' PNDMScheduler with skip_prk_steps: the first
 * step is taken twice, once with its own noise estimate and once with the average of both ends'
 * (so the second timestep appears twice: N + 1 calls); later steps extrapolate eps from the last
 * outputs with Adams-Bashforth weights of order 2 to 4. Every step moves the sample with PNDM's
 * transfer function phi along the DDIM path. Default spacing: leading.
 */
final class PndmSampler extends AlphaSampler {
    /** Adams-Bashforth weights for 1 to 4 known outputs (newest first), over their denominators. */
    private static final int[][] WEIGHTS = {{1}, {3, -1}, {23, -16, 5}, {55, -59, 37, -9}};
    private static final int[] DENOMINATORS = {1, 2, 12, 24};

    private final History outputs = new History(WEIGHTS.length);
    private final History firstSample = new History(1);
    private int evaluations;

    PndmSampler(SchedulerConfig config, int steps) {
        super(refuseZeroTerminalSnr(config), steps, withSecondRepeated(spacedTimesteps(config, steps)));
    }

    /**
     * PNDM's update divides by sqrt(abar_t); on a zero-terminal-SNR schedule abar_999 = 0 and the
     * first step is infinite (diffusers' PNDM has no rescale option at all).
     */
    private static SchedulerConfig refuseZeroTerminalSnr(SchedulerConfig config) {
        if (config.rescaleBetasZeroSnr()) {
            throw new IllegalArgumentException("sampler 'pndm' cannot sample a model trained to zero terminal SNR"
                    + " (rescale_betas_zero_snr in its scheduler config): its first step divides by zero; choose"
                    + " another sampler");
        }
        return config;
    }

    /** t0, t1, t1, t2, ...: the first step's second evaluation happens at t1 again. */
    static float[] withSecondRepeated(float[] timesteps) {
        if (timesteps.length < 2) {
            return timesteps;
        }
        float[] out = new float[timesteps.length + 1];
        out[0] = timesteps[0];
        out[1] = timesteps[1];
        System.arraycopy(timesteps, 1, out, 2, timesteps.length - 1);
        return out;
    }

    @Override
    protected StepOutput advance(NDArray modelOutput, int i, NDArray sample, NoiseSource noise) {
        int t = (int) timestep(i);
        NDArray prevSample;
        if (evaluations == 1) {
            // 1. second pass of the first step: average both ends' outputs, restart from its sample
            NDArray averaged = modelOutput.add(outputs.get(0)).div(2);
            prevSample = transfer(firstSample.get(0), averaged, t + stride(), t);
            firstSample.clear();
        } else {
            // 2. linear multistep: extrapolate the output from the latest ones, then transfer
            outputs.push(modelOutput);
            if (evaluations == 0) {
                firstSample.push(sample);
            }
            prevSample = transfer(sample, adamsBashforth(), t, t - stride());
        }
        evaluations++;
        return new StepOutput(prevSample, null);
    }

    private NDArray adamsBashforth() {
        int order = outputs.size();
        int[] weights = WEIGHTS[order - 1];
        NDArray sum = outputs.get(0).mul(weights[0]);
        for (int k = 1; k < order; k++) {
            sum = sum.add(outputs.get(k).mul(weights[k]));
        }
        return sum.div(DENOMINATORS[order - 1]);
    }

    /**
     * PNDM's transfer phi(x_t, eps, t, t') (Liu et al. eq. 11): the DDIM move written in abar only.
     * A combined v-prediction output becomes eps here, at t, as in diffusers.
     */
    private NDArray transfer(NDArray sample, NDArray output, int t, int tPrev) {
        double a = alphaCumprod(t);
        double aPrev = alphaCumprod(tPrev);
        NDArray eps = prediction.epsilon(output, sample, NoiseLevel.ofAlphaCumprod(a));
        double sampleCoeff = Math.sqrt(aPrev / a);
        double denominator = a * Math.sqrt(1 - aPrev) + Math.sqrt(a * (1 - a) * aPrev);
        return sample.mul(sampleCoeff).sub(eps.mul((aPrev - a) / denominator));
    }
}
