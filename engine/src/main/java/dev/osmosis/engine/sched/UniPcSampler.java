package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;

/**
 * UniPC (Zhao et al. 2023, "UniPC: A Unified Predictor-Corrector Framework for Fast Sampling of
 * Diffusion Models") with diffusers' defaults: data prediction, B(h) = e^h - 1 ("bh2"), order 2.
 * Each call first corrects the previous step with the new model output (UniC, no extra model
 * call), then predicts the next sample (UniP). The first and the last step are first order; the
 * last one ends at sigma_min, not 0. Default spacing: linspace.
 */
final class UniPcSampler extends ExponentialIntegratorSampler {
    private static final int ORDER = 2;

    /** x0 of the latest calls, newest first. */
    private final History denoised = new History(ORDER);
    private final History lastSample = new History(1);
    private int lastOrder;

    UniPcSampler(SchedulerConfig config, int steps) {
        super(config, steps, SigmaTable.interpolated(config, spacedTimesteps(config, steps),
                SigmaTable.FinalSigma.SIGMA_MIN));
    }

    @Override
    protected StepOutput advance(NDArray modelOutput, int i, NDArray sample, NoiseSource noise) {
        NDArray x0 = prediction.denoised(modelOutput, sample, level(i));
        // 1. corrector: redo the previous step, now that x0 at its end is known
        NDArray corrected = lastSample.isEmpty() ? sample : correct(x0, i, lastOrder);
        denoised.push(x0);
        lastSample.push(corrected);
        // 2. predictor, of the order the history and the remaining steps allow
        lastOrder = Math.min(Math.min(ORDER, calls() - i), denoised.size());
        return new StepOutput(predict(corrected, i, lastOrder), x0);
    }

    /** UniP: from call i to i + 1 with the latest {@code order} x0 estimates. */
    private NDArray predict(NDArray sample, int i, int order) {
        NoiseLevel from = level(i);
        NoiseLevel to = level(i + 1);
        double h = to.lambda() - from.lambda();
        double hPhi1 = Math.expm1(-h);
        NDArray m0 = denoised.get(0);
        NDArray prevSample = sample.mul(to.sigma() / from.sigma()).sub(m0.mul(to.alpha() * hPhi1));
        if (order == 2) {
            double r = (level(i - 1).lambda() - from.lambda()) / h;
            NDArray d1 = denoised.get(1).sub(m0).div(r);
            prevSample = prevSample.sub(d1.mul(to.alpha() * hPhi1 * 0.5));
        }
        return prevSample;
    }

    /** UniC: the step from call i - 1 to i again, with {@code x0} (at call i) among the estimates. */
    private NDArray correct(NDArray x0, int i, int order) {
        NoiseLevel from = level(i - 1);
        NoiseLevel to = level(i);
        double h = to.lambda() - from.lambda();
        double hPhi1 = Math.expm1(-h);
        NDArray m0 = denoised.get(0);
        NDArray base = lastSample.get(0).mul(to.sigma() / from.sigma()).sub(m0.mul(to.alpha() * hPhi1));
        NDArray correction;
        if (order == 1) {
            correction = x0.sub(m0).mul(0.5);
        } else {
            double r = (level(i - 2).lambda() - from.lambda()) / h;
            double[] rho = secondOrderWeights(h, r);
            NDArray d1 = denoised.get(1).sub(m0).div(r);
            correction = d1.mul(rho[0]).add(x0.sub(m0).mul(rho[1]));
        }
        return base.sub(correction.mul(to.alpha() * hPhi1));
    }

    /**
     * The corrector weights rho solving [[1, 1], [r, 1]] rho = b, where b_k = k! phi_(k+1)(h') / B(h),
     * h' = -h, from h phi_1 = e^h' - 1 and the recurrence phi_(k+1) = (phi_k - 1/k!) / h'.
     */
    private static double[] secondOrderWeights(double h, double r) {
        double hh = -h;
        double hPhi1 = Math.expm1(hh);
        double phi2 = hPhi1 / hh - 1;
        double phi3 = phi2 / hh - 0.5;
        double b1 = phi2 / hPhi1;
        double b2 = 2 * phi3 / hPhi1;
        double rho0 = (b1 - b2) / (1 - r);
        return new double[] {rho0, b1 - rho0};
    }
}
