package dev.osmosis.app.services;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;

/**
 * The studio's executor: one daemon "osmosis-engine" thread for everything that touches the engine
 * (DJL is driven from a single thread, so loads and generations never overlap), the JavaFX
 * application thread for UI updates, and a small timer thread for debounced work.
 */
public final class FxTaskExecutor implements TaskExecutor {
    private final ExecutorService engine = Executors.newSingleThreadExecutor(daemon("osmosis-engine"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("osmosis-timer"));

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void background(Runnable task) {
        if (engine.isShutdown()) {
            return; // closing: late work (a model load after the window closed) is dropped
        }
        engine.execute(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                // a task that lets an error escape must not kill the engine thread for the next one
                System.getLogger("osmosis.studio").log(System.Logger.Level.ERROR, "engine task failed", e);
            }
        });
    }

    @Override
    public void ui(Runnable task) {
        Platform.runLater(task);
    }

    @Override
    public Cancellable uiLater(Duration delay, Runnable task) {
        if (timer.isShutdown()) {
            return () -> { };
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        ScheduledFuture<?> future = timer.schedule(() -> Platform.runLater(() -> {
            if (!cancelled.get()) {
                task.run();
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
        return () -> {
            cancelled.set(true);
            future.cancel(false);
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
        engine.shutdown();
        try {
            if (!engine.awaitTermination(10, TimeUnit.SECONDS)) {
                engine.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
