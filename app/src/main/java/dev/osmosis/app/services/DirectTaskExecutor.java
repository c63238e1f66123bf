package dev.osmosis.app.services;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs background and UI tasks at once on the calling thread, and keeps delayed tasks until
 * {@link #runDelayed()}: view-model tests drive whole flows deterministically without a toolkit.
 */
public final class DirectTaskExecutor implements TaskExecutor {
    private final List<Delayed> delayed = new ArrayList<>();

    private static final class Delayed implements Cancellable {
        final Runnable task;
        boolean cancelled;

        Delayed(Runnable task) {
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public void background(Runnable task) {
        task.run();
    }

    @Override
    public void ui(Runnable task) {
        task.run();
    }

    @Override
    public Cancellable uiLater(Duration delay, Runnable task) {
        Delayed d = new Delayed(task);
        delayed.add(d);
        return d;
    }

    /** Runs the delayed tasks not cancelled so far; returns how many ran. */
    public int runDelayed() {
        List<Delayed> due = List.copyOf(delayed);
        delayed.clear();
        int ran = 0;
        for (Delayed d : due) {
            if (!d.cancelled) {
                d.task.run();
                ran++;
            }
        }
        return ran;
    }

    /** Delayed tasks waiting and not cancelled. */
    public long pendingDelayed() {
        return delayed.stream().filter(d -> !d.cancelled).count();
    }

    @Override
    public void close() {
        delayed.clear();
    }
}
