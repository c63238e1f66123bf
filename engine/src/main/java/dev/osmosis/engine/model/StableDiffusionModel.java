package dev.osmosis.engine.model;

import ai.djl.ndarray.NDManager;
import dev.osmosis.engine.sched.SchedulerConfig;
import dev.osmosis.engine.text.ClipTextEncoder;
import dev.osmosis.engine.text.ClipTokenizer;
import dev.osmosis.engine.text.PromptEncoder;
import dev.osmosis.engine.unet.UNet2DConditionModel;
import dev.osmosis.engine.vae.AutoencoderKL;
import dev.osmosis.engine.vae.LatentPreview;

/**
 * A loaded Stable Diffusion 1.x/2.x model: tokenizer, text encoder, UNet, VAE and the scheduler
 * config they were trained with. Owns the manager that holds every weight; close it to free them.
 *
 * @param name what the person calls it (folder or file name)
 * @param source where it was loaded from
 * @param recommended the settings it works best with (its folder's, else SD's)
 */
public record StableDiffusionModel(
        String name,
        String source,
        NDManager manager,
        ClipTokenizer tokenizer,
        ClipTextEncoder textEncoder,
        UNet2DConditionModel unet,
        AutoencoderKL vae,
        SchedulerConfig scheduler,
        LatentPreview preview,
        RecommendedSettings recommended) implements AutoCloseable {

    public PromptEncoder promptEncoder() {
        return new PromptEncoder(tokenizer, textEncoder);
    }

    /** Pixels per latent pixel (8 for SD). */
    public int downsampleFactor() {
        return vae.config().downsampleFactor();
    }

    public int latentChannels() {
        return unet.config().inChannels();
    }

    /** The image side the UNet was trained at (sample_size x 8: 512 for SD1, 768 for SD2-v). */
    public int nativeResolution() {
        return unet.config().sampleSize() * downsampleFactor();
    }

    @Override
    public void close() {
        manager.close();
    }
}
