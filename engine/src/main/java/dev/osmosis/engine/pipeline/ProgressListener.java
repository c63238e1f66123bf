package dev.osmosis.engine.pipeline;

/** Receives a {@link Progress} after every step, on the generating thread. */
@FunctionalInterface
public interface ProgressListener {
    /** The parts of a generation besides the denoising steps, for a status line. */
    enum Phase {
        ENCODING_PROMPT, DENOISING, DECODING
    }

    void onStep(Progress progress);

    /**
     * A phase began or advanced: {@code done} of {@code total} units (VAE tiles while decoding;
     * 0 of 1 when a phase starts).
     */
    default void onPhase(Phase phase, int done, int total) {
    }

    /** Whether the listener wants a latent preview image with each step (costs a little time). */
    default boolean wantsPreview() {
        return false;
    }

    static ProgressListener none() {
        return p -> { };
    }
}
