package dev.osmosis.engine.model;

import ai.djl.ndarray.NDManager;
import dev.osmosis.engine.nn.RandomWeights;
import dev.osmosis.engine.sched.SchedulerConfig;
import dev.osmosis.engine.text.ClipTextConfig;
import dev.osmosis.engine.text.ClipTextEncoder;
import dev.osmosis.engine.text.ClipTokenizer;
import dev.osmosis.engine.unet.UNet2DConditionModel;
import dev.osmosis.engine.unet.UNetConfig;
import dev.osmosis.engine.vae.AutoencoderKL;
import dev.osmosis.engine.vae.LatentPreview;
import dev.osmosis.engine.vae.VaeConfig;

/**
 * Full-size models with seeded random weights, for benchmarks that must run without any file: the
 * shapes and the work are real, the pictures are not.
 */
public final class RandomModels {
    private RandomModels() {}

    /** Stable Diffusion 1.5's architecture: 860M UNet, 123M CLIP ViT-L text encoder, 84M VAE. */
    public static StableDiffusionModel sd15(long seed) {
        NDManager manager = NDManager.newBaseManager();
        try {
            return new StableDiffusionModel("sd15-random", "random weights, seed " + seed, manager,
                    ClipTokenizer.bundled(false),
                    new ClipTextEncoder(ClipTextConfig.sd1(), RandomWeights.of("random text encoder", manager, seed)),
                    new UNet2DConditionModel(UNetConfig.sd15(), RandomWeights.of("random unet", manager, seed + 1)),
                    new AutoencoderKL(VaeConfig.sd(), RandomWeights.of("random vae", manager, seed + 2)),
                    SchedulerConfig.stableDiffusion(),
                    LatentPreview.sd(), RecommendedSettings.SD);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }
}
