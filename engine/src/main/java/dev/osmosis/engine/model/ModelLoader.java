package dev.osmosis.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.osmosis.engine.io.ConfigJson;
import dev.osmosis.engine.io.ModelFormatException;
import dev.osmosis.engine.io.PickleCheckpoint;
import dev.osmosis.engine.sched.SchedulerConfig;
import dev.osmosis.engine.text.ClipTextEncoder;
import dev.osmosis.engine.text.ClipTokenizer;
import dev.osmosis.engine.unet.UNet2DConditionModel;
import dev.osmosis.engine.vae.AutoencoderKL;
import dev.osmosis.engine.vae.LatentPreview;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a model from a diffusers folder (model_index.json, unet/, vae/, text_encoder/, tokenizer/,
 * scheduler/) or from a single-file original-LDM .safetensors checkpoint. Errors name the file and
 * the problem; nothing half-loaded is left behind.
 */
public final class ModelLoader {
    private ModelLoader() {}

    /** @param path a diffusers folder or a .safetensors checkpoint */
    public static StableDiffusionModel load(Path path, Device device, ModelOptions options) {
        if (!Files.exists(path)) {
            throw new ModelFormatException(path + ": model not found (give a diffusers folder or a .safetensors file)");
        }
        PickleCheckpoint.refuseIfPickle(path);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            StableDiffusionModel model = Files.isDirectory(path)
                    ? loadFolder(path, manager)
                    : SingleFileCheckpoint.load(path, manager, options);
            if (options.predictionType() != null) {
                try {
                    model = withScheduler(model, model.scheduler().withPredictionType(options.predictionType()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--prediction: " + e.getMessage(), e);
                }
            }
            return model;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public static StableDiffusionModel load(Path path) {
        return load(path, Device.cpu(), ModelOptions.DEFAULT);
    }

    private static StableDiffusionModel loadFolder(Path dir, NDManager manager) {
        for (String part : List.of("unet", "vae", "text_encoder", "tokenizer", "scheduler")) {
            if (!Files.isDirectory(dir.resolve(part))) {
                throw new ModelFormatException(dir + ": not a diffusers model folder (no " + part + "/; expected"
                        + " model_index.json, unet/, vae/, text_encoder/, tokenizer/, scheduler/)");
            }
        }
        SchedulerConfig scheduler = ConfigJson.read(dir.resolve("scheduler/scheduler_config.json"),
                SchedulerConfig::fromJson);
        return new StableDiffusionModel(
                dir.getFileName().toString(),
                dir.toString(),
                manager,
                ClipTokenizer.load(dir.resolve("tokenizer")),
                ClipTextEncoder.load(dir.resolve("text_encoder"), manager),
                UNet2DConditionModel.load(dir.resolve("unet"), manager),
                AutoencoderKL.load(dir.resolve("vae"), manager),
                scheduler,
                LatentPreview.load(dir.resolve("vae")),
                RecommendedSettings.load(dir));
    }

    static StableDiffusionModel withScheduler(StableDiffusionModel m, SchedulerConfig scheduler) {
        return new StableDiffusionModel(m.name(), m.source(), m.manager(), m.tokenizer(), m.textEncoder(), m.unet(),
                m.vae(), scheduler, m.preview(), m.recommended());
    }
}
