package dev.osmosis.app;

import dev.osmosis.app.engine.ModelInfo;
import dev.osmosis.app.store.HistoryEntry;
import dev.osmosis.engine.pipeline.GenerationResult;
import java.util.List;

/**
 * What a finished job hands back to the UI thread.
 *
 * @param saved the gallery entries, in batch order (empty for live jobs, which are not saved)
 */
public record JobOutput(GenerationResult result, List<HistoryEntry> saved, ModelInfo model) {}
