package dev.osmosis.engine.pipeline;

import java.util.concurrent.atomic.AtomicBoolean;

/** Set from any thread; the pipeline checks it between steps and stops with {@link GenerationCancelledException}. */
public final class CancellationToken {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    void throwIfCancelled(int step, int total) {
        if (cancelled.get()) {
            throw new GenerationCancelledException(step, total);
        }
    }
}
