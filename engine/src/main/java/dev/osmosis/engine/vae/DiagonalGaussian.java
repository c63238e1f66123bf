package dev.osmosis.engine.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.osmosis.engine.nn.Scalars;
import java.util.Arrays;

/**
 * The encoder's posterior, diffusers' {@code DiagonalGaussianDistribution}: the moments are split
 * into mean and log-variance along the channels, the log-variance is clamped to [-30, 20] (so exp
 * neither underflows to 0 nor overflows) and std = exp(logvar / 2). Values are unscaled VAE
 * latents: multiply by {@link VaeConfig#scalingFactor()} for the latents a pipeline works on.
 * The arrays belong to the caller's scope, like any other result.
 */
public final class DiagonalGaussian {
    private final NDArray moments;
    private final NDArray mean;
    private final NDArray logvar;
    private final NDArray std;

    /** @param moments [B, 2 * latent_channels, h, w], quant_conv(encoder(image)) */
    public DiagonalGaussian(NDArray moments) {
        long[] shape = moments.getShape().getShape();
        if (shape.length != 4 || shape[1] % 2 != 0) {
            throw new IllegalArgumentException("moments must be [B, 2 * latent_channels, h, w], got "
                    + moments.getShape());
        }
        NDList halves = moments.split(2, 1);
        NDArray rawLogvar = halves.get(1);
        this.moments = moments;
        this.mean = halves.get(0);
        this.logvar = rawLogvar.clip(-30f, 20f);
        this.std = logvar.mul(Scalars.of(0.5f, logvar)).exp();
        rawLogvar.close();
    }

    public NDArray moments() {
        return moments;
    }

    public NDArray mean() {
        return mean;
    }

    /** The clamped log-variance. */
    public NDArray logvar() {
        return logvar;
    }

    public NDArray std() {
        return std;
    }

    /** The most likely latents (diffusers' {@code mode()}), what deterministic img2img encodes to. */
    public NDArray mode() {
        return mean;
    }

    /** mean + std * eps, with eps standard normal noise from the request's seeded generator. */
    public NDArray sample(NDArray eps) {
        if (!Arrays.equals(eps.getShape().getShape(), mean.getShape().getShape())) {
            throw new IllegalArgumentException("noise has shape " + eps.getShape() + ", expected " + mean.getShape());
        }
        return mean.add(std.mul(eps));
    }
}
