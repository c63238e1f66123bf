package dev.osmosis.app.engine;

import dev.osmosis.app.models.ModelSource;
import dev.osmosis.engine.pipeline.CancellationToken;
import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.GenerationResult;
import dev.osmosis.engine.pipeline.ProgressListener;
import dev.osmosis.engine.plugin.PluginRegistry;

/**
 * The narrow door to the engine (all native calls stay behind it). Every method runs on the
 * studio's engine thread; tests give the view-models a fake.
 */
public interface ImageEngine extends AutoCloseable {
    /** Loads the native backend (seconds, once) and says what it found. */
    EngineInfo start();

    /** The plugins the engine knows; the same registry its pipeline uses. */
    PluginRegistry plugins();

    /** Makes {@code source} the loaded model (closing the previous one), unless it already is. */
    ModelInfo load(ModelSource source, ModelSettings settings);

    /** Loads when needed, then generates; cancellation ends it with GenerationCancelledException. */
    GenerationResult generate(ModelSource source, ModelSettings settings, GenerationRequest request,
            ProgressListener progress, CancellationToken cancel);

    /** Frees the loaded model. */
    @Override
    void close();
}
