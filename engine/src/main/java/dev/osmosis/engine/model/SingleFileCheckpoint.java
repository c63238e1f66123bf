package dev.osmosis.engine.model;

import ai.djl.ndarray.NDManager;
import dev.osmosis.engine.io.LdmCheckpoint;
import dev.osmosis.engine.io.LdmCheckpoint.Component;
import dev.osmosis.engine.io.ModelFormatException;
import dev.osmosis.engine.sched.SchedulerConfig;
import dev.osmosis.engine.text.ClipTextConfig;
import dev.osmosis.engine.text.ClipTextEncoder;
import dev.osmosis.engine.text.ClipTokenizer;
import dev.osmosis.engine.unet.UNet2DConditionModel;
import dev.osmosis.engine.unet.UNetConfig;
import dev.osmosis.engine.vae.AutoencoderKL;
import dev.osmosis.engine.vae.LatentPreview;
import dev.osmosis.engine.vae.VaeConfig;
import java.nio.file.Path;

/**
 * A single-file original-LDM checkpoint (.safetensors with model.diffusion_model.*, first_stage_model.*,
 * cond_stage_model.* keys) as a model: configs inferred from the tensor shapes (and a sidecar
 * .yaml/.json where one sits beside the file), the bundled CLIP vocabulary as tokenizer (SD2 pads
 * with "!"), and SD's scheduler config.
 */
final class SingleFileCheckpoint {
    private SingleFileCheckpoint() {}

    static StableDiffusionModel load(Path file, NDManager manager, ModelOptions options) {
        LdmCheckpoint.Options open = options.textEncoderHeads() == null ? LdmCheckpoint.Options.DEFAULT
                : LdmCheckpoint.Options.DEFAULT.withTextEncoderHeads(options.textEncoderHeads());
        try (LdmCheckpoint ckpt = LdmCheckpoint.open(file, open)) {
            for (Component c : Component.values()) {
                if (!ckpt.has(c)) {
                    throw new ModelFormatException(file + ": the checkpoint has no " + c.folder()
                            + " weights; a full SD checkpoint (UNet, VAE and text encoder) is needed");
                }
            }
            UNetConfig unetConfig = parse(file, Component.UNET, () -> UNetConfig.fromJson(ckpt.config(Component.UNET)));
            VaeConfig vaeConfig = parse(file, Component.VAE, () -> VaeConfig.fromJson(ckpt.config(Component.VAE)));
            ClipTextConfig textConfig = parse(file, Component.TEXT_ENCODER,
                    () -> ClipTextConfig.fromJson(ckpt.config(Component.TEXT_ENCODER)));
            SchedulerConfig scheduler = SchedulerConfig.stableDiffusion();
            if (ckpt.predictionType() != null) {
                scheduler = scheduler.withPredictionType(ckpt.predictionType());
            }
            String name = file.getFileName().toString().replaceFirst("\\.safetensors$", "");
            return new StableDiffusionModel(name, file.toString(), manager,
                    ClipTokenizer.bundled(ckpt.isV2()),
                    new ClipTextEncoder(textConfig, ckpt.weights(Component.TEXT_ENCODER, manager)),
                    new UNet2DConditionModel(unetConfig, ckpt.weights(Component.UNET, manager)),
                    new AutoencoderKL(vaeConfig, ckpt.weights(Component.VAE, manager)),
                    scheduler,
                    LatentPreview.sd(), RecommendedSettings.SD);
        }
    }

    private static <T> T parse(Path file, Component c, java.util.function.Supplier<T> config) {
        try {
            return config.get();
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": inferred " + c.folder() + " config is not usable: "
                    + e.getMessage(), e);
        }
    }
}
