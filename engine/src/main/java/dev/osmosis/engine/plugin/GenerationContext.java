package dev.osmosis.engine.plugin;

import ai.djl.ndarray.NDManager;
import dev.osmosis.engine.model.StableDiffusionModel;
import dev.osmosis.engine.pipeline.GenerationRequest;

/**
 * What a plugin may see of the generation it joins.
 *
 * @param model the loaded model (its UNet's stages, text encoder, VAE)
 * @param request the request being generated
 * @param modelCalls the number of UNet calls this generation will make
 * @param manager lives as long as the generation: the place for a session's own arrays
 */
public record GenerationContext(StableDiffusionModel model, GenerationRequest request, int modelCalls,
        NDManager manager) {
}
