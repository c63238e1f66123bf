package dev.osmosis.engine.pipeline;

/** The job was cancelled between steps; nothing partial is saved. */
public class GenerationCancelledException extends RuntimeException {
    public GenerationCancelledException(int step, int total) {
        super("cancelled after step " + step + " of " + total);
    }
}
