package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;

/**
 * Heun's method on the probability-flow ODE (Karras et al. 2022, Algorithm 1): each step is an
 * Euler predictor to the next sigma and a corrector with the average of the slopes at both ends.
 * Call 2k predicts step k and call 2k+1 corrects it; the last step, which ends at sigma = 0, is
 * a plain Euler step, so N steps take 2N - 1 model calls. Default spacing: linspace.
 */
final class HeunSampler extends SigmaSampler {
    private final History predictorSample = new History(1);
    private final History predictorSlope = new History(1);

    HeunSampler(SchedulerConfig config, int steps) {
        super(config, steps, twoCallsPerStep(spacedTable(config, steps)));
    }

    /** Every timestep and sigma after the first twice, so call i finds its own level at index i. */
    static SigmaTable twoCallsPerStep(SigmaTable table) {
        float[] t = table.timesteps();
        float[] s = table.sigmas();
        float[] timesteps = new float[2 * t.length - 1];
        float[] sigmas = new float[2 * t.length];
        for (int i = 0; i < timesteps.length; i++) {
            timesteps[i] = t[(i + 1) / 2];
        }
        for (int i = 0; i < sigmas.length; i++) {
            sigmas[i] = s[(i + 1) / 2];
        }
        return new SigmaTable(timesteps, sigmas);
    }

    @Override
    int order() {
        return 2;
    }

    @Override
    protected StepOutput advance(NDArray modelOutput, int i, NDArray sample, NoiseSource noise) {
        if (i % 2 == 0) {
            // 1. predictor: Euler step from sigma(i) to sigma(i + 1)
            double sigma = sigma(i);
            double next = sigma(i + 1);
            NDArray denoised = clipped(prediction.denoised(modelOutput, sample, NoiseLevel.ofSigma(sigma)));
            NDArray slope = derivative(sample, denoised, sigma);
            if (next > 0) {
                predictorSample.push(sample);
                predictorSlope.push(slope);
            }
            return new StepOutput(sample.add(slope.mul(next - sigma)), denoised);
        }
        // 2. corrector: redo the step from the predictor's start with the average slope
        if (predictorSample.isEmpty()) {
            throw new IllegalStateException("Heun call " + i + " corrects a step whose predictor, call "
                    + (i - 1) + ", did not run");
        }
        double sigma = sigma(i - 1);
        double next = sigma(i);
        NDArray denoised = clipped(prediction.denoised(modelOutput, sample, NoiseLevel.ofSigma(next)));
        NDArray slope = predictorSlope.get(0).add(derivative(sample, denoised, next)).div(2);
        NDArray prevSample = predictorSample.get(0).add(slope.mul(next - sigma));
        predictorSample.clear();
        predictorSlope.clear();
        return new StepOutput(prevSample, denoised);
    }
}
