package dev.osmosis.app.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.osmosis.app.models.ModelSource;
import dev.osmosis.engine.model.ModelLoader;
import dev.osmosis.engine.model.StableDiffusionModel;
import dev.osmosis.engine.pipeline.CancellationToken;
import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.GenerationResult;
import dev.osmosis.engine.pipeline.ProgressListener;
import dev.osmosis.engine.pipeline.StableDiffusionPipeline;
import dev.osmosis.engine.plugin.PluginRegistry;
import java.nio.file.Path;

/**
 * The real engine: one loaded model at a time (a second SD model would double the memory), kept
 * until another model or other load settings are asked for.
 */
public final class DjlImageEngine implements ImageEngine {
    private final PluginRegistry plugins;
    private StableDiffusionModel model;
    private StableDiffusionPipeline pipeline;
    private Key loadedKey;
    private ModelInfo loadedInfo;

    private record Key(Path path, ModelSettings settings) {}

    public DjlImageEngine(PluginRegistry plugins) {
        this.plugins = plugins;
    }

    @Override
    public EngineInfo start() {
        Engine e = Engine.getEngine("PyTorch");
        return new EngineInfo(e.getEngineName() + " " + e.getVersion(), e.getGpuCount(),
                Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public PluginRegistry plugins() {
        return plugins;
    }

    @Override
    public synchronized ModelInfo load(ModelSource source, ModelSettings settings) {
        Key key = new Key(source.path().toAbsolutePath(), settings);
        if (key.equals(loadedKey)) {
            return new ModelInfo(loadedInfo.name(), loadedInfo.source(), loadedInfo.nativeResolution(),
                    loadedInfo.recommendedCfg(), loadedInfo.device(), 0);
        }
        closeModel();
        Device device = switch (settings.device()) {
            case "gpu" -> {
                if (Engine.getEngine("PyTorch").getGpuCount() == 0) {
                    throw new IllegalArgumentException("device: no GPU is visible to PyTorch on this machine; choose CPU");
                }
                yield Device.gpu();
            }
            default -> Device.cpu();
        };
        long start = System.nanoTime();
        model = ModelLoader.load(source.path(), device, settings.options());
        pipeline = new StableDiffusionPipeline(model, plugins);
        loadedKey = key;
        loadedInfo = new ModelInfo(model.name(), model.source(), model.nativeResolution(),
                model.recommended().cfgScale(), device.isGpu() ? "GPU " + device.getDeviceId() : "CPU", (System.nanoTime() - start) / 1_000_000);
        return loadedInfo;
    }

    @Override
    public GenerationResult generate(ModelSource source, ModelSettings settings, GenerationRequest request,
            ProgressListener progress, CancellationToken cancel) {
        StableDiffusionPipeline p;
        synchronized (this) {
            load(source, settings);
            p = pipeline;
        }
        return p.generate(request, progress, cancel);
    }

    private void closeModel() {
        if (model != null) {
            model.close();
        }
        model = null;
        pipeline = null;
        loadedKey = null;
        loadedInfo = null;
    }

    @Override
    public synchronized void close() {
        closeModel();
    }
}
