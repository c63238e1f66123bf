package dev.osmosis.app.services;

import java.time.Duration;

/**
 * Where the studio's work runs: engine work (model loading, generation, saving) on one background
 * thread, in submission order, and view-model updates on the UI thread. Views and view-models never
 * start threads themselves, so tests swap this for {@link DirectTaskExecutor} and run every step
 * on the calling thread.
 */
public interface TaskExecutor extends AutoCloseable {
    /** Runs {@code task} on the engine thread, after the tasks submitted before it. */
    void background(Runnable task);

    /** Runs {@code task} on the UI thread, after the UI tasks posted before it. */
    void ui(Runnable task);

    /** Runs {@code task} on the UI thread after {@code delay}, unless cancelled first (debouncing). */
    Cancellable uiLater(Duration delay, Runnable task);

    /** Stops the engine thread after its current task; waits a few seconds for it. */
    @Override
    void close();

    /** A scheduled task that has not run yet. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
