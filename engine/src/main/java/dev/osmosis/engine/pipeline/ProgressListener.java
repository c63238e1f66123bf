package dev.osmosis.engine.pipeline;

/** Receives a {@link Progress} after every step, on the generating thread. */
@FunctionalInterface
public interface ProgressListener {
    void onStep(Progress progress);

    /** Whether the listener wants a latent preview image with each step (costs a little time). */
    default boolean wantsPreview() {
        return false;
    }

    static ProgressListener none() {
        return p -> { };
    }
}
