package dev.osmosis.engine.train;

/**
 * The forward process a latent diffusion model is trained on: Stable Diffusion's scaled_linear
 * betas (sqrt(beta) evenly spaced from sqrt(0.00085) to sqrt(0.012) over 1000 steps, computed in
 * float32 as diffusers does), abar_t = prod(1 - beta), and x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps.
 * The engine's samplers read the same numbers from the shipped scheduler_config.json.
 */
public final class DiffusionSchedule {
    public static final int TRAIN_STEPS = 1000;
    public static final double BETA_START = 0.00085;
    public static final double BETA_END = 0.012;

    private final float[] alphasCumprod;

    private DiffusionSchedule(float[] alphasCumprod) {
        this.alphasCumprod = alphasCumprod;
    }

    public static DiffusionSchedule stableDiffusion() {
        float[] abar = new float[TRAIN_STEPS];
        float running = 1f;
        double from = Math.sqrt(BETA_START);
        double to = Math.sqrt(BETA_END);
        for (int i = 0; i < TRAIN_STEPS; i++) {
            float root = (float) (from + (to - from) * i / (TRAIN_STEPS - 1));
            running *= 1f - root * root;
            abar[i] = running;
        }
        return new DiffusionSchedule(abar);
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
