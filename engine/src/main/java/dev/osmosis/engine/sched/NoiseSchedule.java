package dev.osmosis.engine.sched;

import java.util.List;

/**
 * The training noise schedule of a DDPM (Ho et al. 2020): betas, and alphas_cumprod = the running
 * product of (1 - beta), the signal fraction abar_t of x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps.
 * Stored as float32, as diffusers stores them.
 */
final class NoiseSchedule {
    private NoiseSchedule() {}

    /** alphas_cumprod of the configured schedule, one per training timestep. */
    static float[] alphasCumprod(SchedulerConfig config) {
        float[] betas = betas(config);
        return cumulativeAlphas(config.rescaleBetasZeroSnr() ? rescaleZeroTerminalSnr(betas) : betas);
    }

    static float[] betas(SchedulerConfig config) {
        int n = config.numTrainTimesteps();
        if (!config.trainedBetas().isEmpty()) {
            return toFloats(config.trainedBetas());
        }
        return switch (config.betaSchedule()) {
            case LINEAR -> linearBetas(config.betaStart(), config.betaEnd(), n);
            case SCALED_LINEAR -> scaledLinearBetas(config.betaStart(), config.betaEnd(), n);
            case SQUAREDCOS_CAP_V2 -> cosineBetas(n);
        };
    }

    /** beta_i evenly spaced from start to end. */
    static float[] linearBetas(double start, double end, int n) {
        float[] betas = new float[n];
        for (int i = 0; i < n; i++) {
            betas[i] = (float) TimestepSpacing.linspace(start, end, n, i);
        }
        return betas;
    }

    /** sqrt(beta_i) evenly spaced from sqrt(start) to sqrt(end), squared in float32. */
    static float[] scaledLinearBetas(double start, double end, int n) {
        float[] betas = new float[n];
        for (int i = 0; i < n; i++) {
            float root = (float) TimestepSpacing.linspace(Math.sqrt(start), Math.sqrt(end), n, i);
            betas[i] = root * root;
        }
        return betas;
    }

    /** Betas of the cosine schedule abar(t) = cos^2((t + 0.008) / 1.008 * pi / 2), capped at 0.999. */
    static float[] cosineBetas(int n) {
        float[] betas = new float[n];
        for (int i = 0; i < n; i++) {
            double ratio = cosineAlphaBar((i + 1.0) / n) / cosineAlphaBar((double) i / n);
            betas[i] = (float) Math.min(1 - ratio, 0.999);
        }
        return betas;
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /**
     * Shifts the schedule so the last timestep has zero signal (Lin et al. 2023, "Common Diffusion
     * Noise Schedules and Sample Steps are Flawed", Algorithm 1): sqrt(abar) is moved to end at 0
     * and rescaled to keep its first value.
     */
    static float[] rescaleZeroTerminalSnr(float[] betas) {
        float[] alphasCumprod = cumulativeAlphas(betas);
        int n = betas.length;
        double first = Math.sqrt(alphasCumprod[0]);
        double last = Math.sqrt(alphasCumprod[n - 1]);
        double[] alphaBar = new double[n];
        for (int i = 0; i < n; i++) {
            double root = (Math.sqrt(alphasCumprod[i]) - last) * first / (first - last);
            alphaBar[i] = root * root;
        }
        float[] rescaled = new float[n];
        rescaled[0] = (float) (1 - alphaBar[0]);
        for (int i = 1; i < n; i++) {
            rescaled[i] = (float) (1 - alphaBar[i] / alphaBar[i - 1]);
        }
        return rescaled;
    }

    /** The running product of (1 - beta), accumulated in double like torch's CPU cumprod. */
    static float[] cumulativeAlphas(float[] betas) {
        float[] alphasCumprod = new float[betas.length];
        double product = 1;
        for (int i = 0; i < betas.length; i++) {
            product *= 1f - betas[i];
            alphasCumprod[i] = (float) product;
        }
        return alphasCumprod;
    }

    private static float[] toFloats(List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }
}
