package dev.osmosis.engine.sched;

/**
 * How much of a sample is signal and how much noise: x = alpha * x0 + sigma * eps.
 *
 * <p>DDPM-style samplers keep variance-preserving samples, alpha = sqrt(alphas_cumprod),
 * sigma = sqrt(1 - alphas_cumprod). k-diffusion samplers keep x = x0 + sigma * eps (alpha = 1);
 * the network was trained on variance-preserving inputs, so it sees x / {@link #norm()}.
 */
public record NoiseLevel(double alpha, double sigma) {

    /** The variance-preserving level of training timestep t, from alphas_cumprod[t]. */
    public static NoiseLevel ofAlphaCumprod(double alphaCumprod) {
        return new NoiseLevel(Math.sqrt(alphaCumprod), Math.sqrt(1 - alphaCumprod));
    }

    /** The k-diffusion level x = x0 + sigma * eps (Karras et al. 2022). */
    public static NoiseLevel ofSigma(double sigma) {
        return new NoiseLevel(1, sigma);
    }

    /** sqrt(alpha^2 + sigma^2): what a sample is divided by to become a network input (1 for VP levels). */
    public double norm() {
        return Math.hypot(alpha, sigma);
    }

    /** The same signal-to-noise ratio as a variance-preserving level. */
    public NoiseLevel variancePreserving() {
        double n = norm();
        return new NoiseLevel(alpha / n, sigma / n);
    }

    /** Half the log signal-to-noise ratio, log(alpha / sigma): DPM-Solver's lambda (+inf when noise-free). */
    public double lambda() {
        return Math.log(alpha) - Math.log(sigma);
    }
}
