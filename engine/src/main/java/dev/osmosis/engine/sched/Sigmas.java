package dev.osmosis.engine.sched;

/**
 * Noise levels in the k-diffusion parameterisation x = x0 + sigma * eps (Karras et al. 2022,
 * "Elucidating the Design Space of Diffusion-Based Generative Models"): sigma_t =
 * sqrt((1 - abar_t) / abar_t) for training timestep t.
 */
final class Sigmas {
    /** diffusers' stand-in for a zero final alphas_cumprod (zero terminal SNR), so sigma stays finite. */
    private static final float ZERO_SNR_ALPHA_CUMPROD = 0x1p-24f;
    private static final double KARRAS_RHO = 7.0;

    private Sigmas() {}

    /** sigma of every training timestep, computed in float32 as diffusers does. */
    static float[] ofTrainingSteps(float[] alphasCumprod) {
        float[] sigmas = new float[alphasCumprod.length];
        for (int t = 0; t < sigmas.length; t++) {
            float a = alphasCumprod[t] == 0 ? ZERO_SNR_ALPHA_CUMPROD : alphasCumprod[t];
            sigmas[t] = (float) Math.sqrt((1f - a) / a);
        }
        return sigmas;
    }

    /** sigma at (possibly fractional) timesteps, linear between training steps (numpy.interp). */
    static double[] atTimesteps(float[] trainSigmas, float[] timesteps) {
        double[] out = new double[timesteps.length];
        int last = trainSigmas.length - 1;
        for (int k = 0; k < timesteps.length; k++) {
            double t = timesteps[k];
            if (t <= 0) {
                out[k] = trainSigmas[0];
            } else if (t >= last) {
                out[k] = trainSigmas[last];
            } else {
                int low = (int) Math.floor(t);
                double slope = (double) trainSigmas[low + 1] - trainSigmas[low];
                out[k] = slope * (t - low) + trainSigmas[low];
            }
        }
        return out;
    }

    /** Karras et al. eq. (5): n levels from sigmaMax to sigmaMin, evenly spaced in sigma^(1/rho), rho = 7. */
    static double[] karras(double sigmaMin, double sigmaMax, int n) {
        double minInvRho = Math.pow(sigmaMin, 1 / KARRAS_RHO);
        double maxInvRho = Math.pow(sigmaMax, 1 / KARRAS_RHO);
        double[] sigmas = new double[n];
        for (int i = 0; i < n; i++) {
            double ramp = TimestepSpacing.linspace(0, 1, n, i);
            sigmas[i] = Math.pow(maxInvRho + ramp * (minInvRho - maxInvRho), KARRAS_RHO);
        }
        return sigmas;
    }

    /** The fractional training timestep of {@code sigma}: linear interpolation of log sigma. */
    static double timestepOf(double sigma, float[] logSigmas) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        int low = 0;
        for (int t = 0; t < logSigmas.length; t++) {
            if (logSigma - logSigmas[t] >= 0) {
                low = t;
            }
        }
        low = Math.min(low, logSigmas.length - 2);
        double w = (logSigmas[low] - logSigma) / ((double) logSigmas[low] - logSigmas[low + 1]);
        w = Math.min(Math.max(w, 0), 1);
        return (1 - w) * low + w * (low + 1);
    }

    static float[] log(float[] sigmas) {
        float[] logs = new float[sigmas.length];
        for (int t = 0; t < sigmas.length; t++) {
            logs[t] = (float) Math.log(sigmas[t]);
        }
        return logs;
    }

    /** {@code sigmas} followed by {@code last}, as float32. */
    static float[] appended(double[] sigmas, double last) {
        float[] out = new float[sigmas.length + 1];
        for (int i = 0; i < sigmas.length; i++) {
            out[i] = (float) sigmas[i];
        }
        out[sigmas.length] = (float) last;
        return out;
    }
}
