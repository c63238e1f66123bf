package dev.osmosis.engine.plugin;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.unet.UNetPlan;
import dev.osmosis.engine.unet.UNetResiduals;

/**
 * A plugin's part in one generation, called on the generating thread. Every hook has a neutral
 * default, so a plugin implements only the ones of its family:
 * <ul>
 *   <li>conditions: {@link #residuals} for each UNet call;
 *   <li>accelerators: {@link #plan} for each UNet call, and {@link #beforeStep} to adjust latents;
 *   <li>membranes: patch the model's layers in {@code Plugin.open} and undo it in {@link #close}.
 * </ul>
 * Arrays a hook returns belong to the step's scope; arrays kept across steps must live in
 * {@link GenerationContext#manager()} and be unregistered from the step scope.
 */
public interface PluginSession extends AutoCloseable {
    /** Residuals to add to the UNet's skips and mid block in this call, or null. */
    default UNetResiduals residuals(StepContext step) {
        return null;
    }

    /** Which parts of this call to recompute; the first call always runs in full. */
    default UNetPlan plan(StepContext step) {
        return UNetPlan.FULL;
    }

    /**
     * The latents about to enter UNet call {@code index} at {@code timestep} (before the sampler's
     * input scaling); may return a changed array.
     */
    default NDArray beforeStep(int index, float timestep, NDArray latents) {
        return latents;
    }

    /** What the plugin did, for the person: "7 of 20 UNet calls shallow". */
    String report();

    /** Frees the session's arrays and undoes any change to the model. */
    @Override
    default void close() {
    }
}
