package dev.osmosis.engine.pipeline;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;

/**
 * The images of one request, in batch order, with what is needed to reproduce and store them.
 *
 * @param seeds the seed of each image (request seed + index)
 * @param parameters the A1111 "parameters" text of each image, for its PNG and the history
 * @param latents the final latents [batch, channels, h, w] as the sampler left them (scaled)
 * @param pluginReports what each plugin did ("deepcache: 7 of 20 UNet calls shallow")
 * @param elapsed the whole generation: text encoding, sampling, decoding
 * @param unetTime the part of it spent in UNet calls (PyTorch on the CPU runs eagerly, so this is real)
 */
public record GenerationResult(
        List<BufferedImage> images,
        List<Long> seeds,
        List<String> parameters,
        float[] latents,
        long[] latentShape,
        List<String> pluginReports,
        Duration elapsed,
        Duration unetTime) {
}
