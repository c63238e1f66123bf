package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;

/**
 * What the network predicts, and the one place where its output becomes a denoised estimate x0 or
 * a noise estimate eps. Every sampler converts through {@link #denoised} and {@link #epsilon}.
 *
 * <p>For a sample x = alpha * x0 + sigma * eps (see {@link NoiseLevel}) the network sees
 * x / n with n = sqrt(alpha^2 + sigma^2), a variance-preserving input with coefficients
 * a = alpha / n, s = sigma / n.
 */
public enum PredictionType implements ConfigName {
    /** The network predicts the noise eps (SD 1.x, SD 2.x base). */
    EPSILON("epsilon"),
    /** The network predicts v = a * eps - s * x0 (Salimans and Ho 2022; SD 2.x 768-v). */
    V_PREDICTION("v_prediction");

    private final String configName;

    PredictionType(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static PredictionType fromName(String name) {
        return ConfigName.parse(PredictionType.class, name, "prediction_type");
    }

    /** The denoised estimate x0 of {@code sample} at {@code level}. */
    public NDArray denoised(NDArray output, NDArray sample, NoiseLevel level) {
        return switch (this) {
            // x0 = (x - sigma * eps) / alpha
            case EPSILON -> sample.sub(output.mul(level.sigma())).div(level.alpha());
            // x0 = a * (x / n) - s * v
            case V_PREDICTION -> {
                double n = level.norm();
                yield sample.mul(level.alpha() / (n * n)).sub(output.mul(level.sigma() / n));
            }
        };
    }

    /** The noise estimate eps of {@code sample} at {@code level}. */
    public NDArray epsilon(NDArray output, NDArray sample, NoiseLevel level) {
        return switch (this) {
            case EPSILON -> output;
            // eps = a * v + s * (x / n)
            case V_PREDICTION -> {
                double n = level.norm();
                yield output.mul(level.alpha() / n).add(sample.mul(level.sigma() / (n * n)));
            }
        };
    }
}
