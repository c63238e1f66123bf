package dev.osmosis.app.testing;

import dev.osmosis.app.engine.EngineInfo;
import dev.osmosis.app.engine.ImageEngine;
import dev.osmosis.app.engine.ModelInfo;
import dev.osmosis.app.engine.ModelSettings;
import dev.osmosis.app.models.ModelSource;
import dev.osmosis.engine.io.ModelFormatException;
import dev.osmosis.engine.pipeline.CancellationToken;
import dev.osmosis.engine.pipeline.GenerationCancelledException;
import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.GenerationResult;
import dev.osmosis.engine.pipeline.Infotext;
import dev.osmosis.engine.pipeline.Progress;
import dev.osmosis.engine.pipeline.ProgressListener;
import dev.osmosis.engine.plugin.Plugin;
import dev.osmosis.engine.plugin.PluginRegistry;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An engine without a network: solid-colour images from the seed, one progress event per step,
 * cancellation between steps, and load failures for files named "broken*". For view-model tests.
 */
public final class FakeEngine implements ImageEngine {
    public final List<GenerationRequest> requests = new CopyOnWriteArrayList<>();
    public final List<String> loads = new CopyOnWriteArrayList<>();
    private final PluginRegistry plugins;
    /** Called before each step (tests block here to cancel mid-run). */
    public volatile Runnable beforeStep = () -> { };
    public volatile RuntimeException failGenerate;
    public volatile int nativeResolution = 64;
    public volatile double recommendedCfg = 7.5;

    public FakeEngine() {
        this(List.of());
    }

    public FakeEngine(List<Plugin> plugins) {
        this.plugins = new PluginRegistry(plugins);
    }

    @Override
    public EngineInfo start() {
        return new EngineInfo("Fake 1.0", 0, 2);
    }

    @Override
    public PluginRegistry plugins() {
        return plugins;
    }

    @Override
    public ModelInfo load(ModelSource source, ModelSettings settings) {
        loads.add(source.label());
        if (source.path().getFileName().toString().startsWith("broken")) {
            throw new ModelFormatException(source.path() + ": not a safetensors file (header length is 7 TB)");
        }
        return new ModelInfo(source.label(), source.path().toString(), nativeResolution, recommendedCfg, "CPU", 1);
    }

    @Override
    public GenerationResult generate(ModelSource source, ModelSettings settings, GenerationRequest request,
            ProgressListener progress, CancellationToken cancel) {
        load(source, settings);
        requests.add(request);
        plugins.resolve(request.plugins());
        long start = System.nanoTime();
        for (int i = 0; i < request.steps(); i++) {
            beforeStep.run();
            if (cancel.isCancelled()) {
                throw new GenerationCancelledException(i, request.steps());
            }
            BufferedImage preview = progress.wantsPreview() ? image(request.width(), request.height(), Color.GRAY) : null;
            progress.onStep(new Progress(i + 1, request.steps(), Duration.ofNanos(System.nanoTime() - start),
                    Duration.ZERO, preview));
        }
        if (failGenerate != null) {
            throw failGenerate;
        }
        List<BufferedImage> images = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        List<String> parameters = new ArrayList<>();
        for (int k = 0; k < request.batch(); k++) {
            long seed = request.seed() + k;
            images.add(image(request.width(), request.height(), new Color((int) (seed * 2654435761L) & 0xffffff)));
            seeds.add(seed);
            parameters.add(Infotext.format(request, seed, source.label()));
        }
        int lw = request.width() / 8;
        int lh = request.height() / 8;
        return new GenerationResult(images, seeds, parameters, new float[request.batch() * 4 * lw * lh],
                new long[] {request.batch(), 4, lh, lw}, List.of(), Duration.ofNanos(System.nanoTime() - start), Duration.ZERO);
    }

    public static BufferedImage image(int w, int h, Color c) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    @Override
    public void close() {
    }
}
