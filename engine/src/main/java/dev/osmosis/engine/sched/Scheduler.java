package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;

/**
 * One generation's sampler, diffusers-style: a list of model calls, each followed by
 * {@link #step}. Stateful (multistep history, Heun's half steps), so make a new one per generation.
 *
 * <p>The pipeline drives it:
 * <pre>
 *   x = noise * initNoiseSigma()                       (txt2img)
 *   x = addNoise(init, noise, begin)                   (img2img, begin = img2imgBegin(strength))
 *   for i in begin .. timesteps().length-1:
 *       out = unet(scaleModelInput(x, i), timesteps()[i], text)
 *       x = step(out, i, x, noise)
 * </pre>
 */
public interface Scheduler {
    /** Timesteps fed to the UNet, one per model call (Heun: 2N-1 entries, PNDM: N+1). */
    float[] timesteps();

    /** Multiplier of N(0,1) initial latents (1 for DDIM-like, sigma_max-like for Euler-like). */
    float initNoiseSigma();

    /** Input scaling before model call {@code i} (identity for DDIM-like samplers). */
    NDArray scaleModelInput(NDArray sample, int i);

    /**
     * The update after model call {@code i}; {@code modelOutput} is epsilon or v as the config says.
     * Ancestral and consistency samplers draw their fresh noise from {@code noise}.
     */
    NDArray step(NDArray modelOutput, int i, NDArray sample, NoiseSource noise);

    /** Noises clean latents to the level of model call {@code i} (the img2img start). */
    NDArray addNoise(NDArray original, NDArray noise, int i);

    /**
     * Index of the first model call for img2img with this strength, as diffusers computes it:
     * init = min(int(N * strength), N); tStart = max(N - init, 0); begin = tStart * order.
     * Also positions the sampler there (diffusers' set_begin_index).
     */
    int img2imgBegin(double strength);
}
