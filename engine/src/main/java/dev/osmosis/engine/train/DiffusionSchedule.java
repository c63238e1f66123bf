package dev.osmosis.engine.train;

import dev.osmosis.engine.sched.SchedulerConfig;

/**
 * The forward process a latent diffusion model is trained on, x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps,
 * with abar_t taken from the samplers' own {@link SchedulerConfig} code, so that training and
 * sampling use the same numbers: Stable Diffusion's scaled_linear betas (sqrt(beta) evenly spaced
 * from sqrt(0.00085) to sqrt(0.012) over 1000 steps), optionally rescaled to zero terminal SNR.
 */
public final class DiffusionSchedule {
    public static final int TRAIN_STEPS = 1000;

    private final float[] alphasCumprod;

    private DiffusionSchedule(float[] alphasCumprod) {
        this.alphasCumprod = alphasCumprod;
    }

    public static DiffusionSchedule stableDiffusion() {
        return new DiffusionSchedule(SchedulerConfig.stableDiffusion().alphasCumprod());
    }

    public float alphaCumprod(int t) {
        return alphasCumprod[t];
    }

    /** Signal-to-noise ratio abar / (1 - abar). */
    public double snr(int t) {
        return alphasCumprod[t] / (1.0 - alphasCumprod[t]);
    }

    /**
     * Min-SNR-gamma loss weight for epsilon prediction (Hang et al. 2023, "Efficient Diffusion
     * Training via Min-SNR Weighting Strategy", eq. 9): min(SNR, gamma) / SNR. Lowers the weight of
     * the nearly noise-free timesteps, whose easy targets otherwise dominate the gradient.
     */
    public double minSnrWeight(int t, double gamma) {
        double snr = snr(t);
        return Math.min(snr, gamma) / snr;
    }

    /**
     * Stable Diffusion's schedule rescaled to zero terminal SNR (Lin et al. 2023, "Common Diffusion
     * Noise Schedules and Sample Steps are Flawed", Algorithm 1). On SD's schedule x_999 still holds
     * sqrt(abar) = 6.8 % of the image; a model learns to read the layout from that leak and, given
     * pure noise at sampling time, places objects where the noise happens to suggest, whatever the
     * prompt says. With abar_999 = 0 the prompt is the only source of the layout.
     */
    public static DiffusionSchedule zeroTerminalSnr() {
        return new DiffusionSchedule(SchedulerConfig.stableDiffusion().withRescaleBetasZeroSnr(true).alphasCumprod());
    }

    /**
     * Loss weight for v-prediction: the v loss is (1 + SNR) times the error of the implied x0, so
     * it keeps a weight of 1 on the layout at the noisiest step, where epsilon prediction's weight
     * (SNR) vanishes. Truncated at gamma like Min-SNR so the clean end does not dominate:
     * min(1 + SNR, gamma) / (1 + SNR).
     */
    public double vWeight(int t, double gamma) {
        double snr = snr(t);
        return Math.min(1 + snr, gamma) / (1 + snr);
    }

    /** v = sqrt(abar_t) eps - sqrt(1 - abar_t) x0 (Salimans and Ho 2022), per sample of a flat batch. */
    public void velocity(float[] x0, float[] eps, int[] timesteps, float[] out) {
        int per = x0.length / timesteps.length;
        for (int b = 0; b < timesteps.length; b++) {
            float a = (float) Math.sqrt(alphasCumprod[timesteps[b]]);
            float s = (float) Math.sqrt(1 - alphasCumprod[timesteps[b]]);
            for (int i = b * per; i < (b + 1) * per; i++) {
                out[i] = a * eps[i] - s * x0[i];
            }
        }
    }

    /** x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps, in place into {@code out}, per sample of a flat batch. */
    public void addNoise(float[] x0, float[] eps, int[] timesteps, float[] out) {
        int per = x0.length / timesteps.length;
        for (int b = 0; b < timesteps.length; b++) {
            float a = (float) Math.sqrt(alphasCumprod[timesteps[b]]);
            float s = (float) Math.sqrt(1 - alphasCumprod[timesteps[b]]);
            for (int i = b * per; i < (b + 1) * per; i++) {
                out[i] = a * x0[i] + s * eps[i];
            }
        }
    }
}
