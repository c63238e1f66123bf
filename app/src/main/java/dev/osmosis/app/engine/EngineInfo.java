package dev.osmosis.app.engine;

/**
 * The engine after start-up.
 *
 * @param backend e.g. "PyTorch 2.7.1"
 * @param gpus CUDA devices the backend sees (0 on a CPU build)
 * @param threads CPU threads the backend may use
 */
public record EngineInfo(String backend, int gpus, int threads) {}
