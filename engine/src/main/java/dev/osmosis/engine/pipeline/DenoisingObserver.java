package dev.osmosis.engine.pipeline;

import ai.djl.ndarray.NDArray;

/**
 * Sees the raw UNet output and the latents of every model call, on the generating thread (tests
 * compare them with the reference trajectories). The arrays are closed after the call: copy what
 * you keep.
 */
public interface DenoisingObserver {
    DenoisingObserver NONE = new DenoisingObserver() { };

    /** The UNet output of call {@code i}: [2B, ...] (uncond first) with guidance, else [B, ...]. */
    default void unetOutput(int i, NDArray output) {
    }

    /** The latents after the sampler step of call {@code i}. */
    default void afterStep(int i, float timestep, NDArray latents) {
    }
}
