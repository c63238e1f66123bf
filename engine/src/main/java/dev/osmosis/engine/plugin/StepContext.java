package dev.osmosis.engine.plugin;

import ai.djl.ndarray.NDArray;

/**
 * One UNet call of a generation as plugins see it.
 *
 * @param index 0 for the first call this generation runs (img2img skips the early ones)
 * @param total the calls this generation runs
 * @param timestep the training timestep fed to the UNet
 * @param sample the scaled model input [B, C, h, w] (guidance batch included: [2B, ...])
 * @param context the text conditioning of the call, aligned with {@code sample}
 */
public record StepContext(int index, int total, float timestep, NDArray sample, NDArray timesteps,
        NDArray context) {
}
