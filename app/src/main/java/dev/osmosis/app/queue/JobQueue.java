package dev.osmosis.app.queue;

import dev.osmosis.app.services.TaskExecutor;
import dev.osmosis.engine.pipeline.GenerationCancelledException;
import dev.osmosis.engine.pipeline.Progress;
import dev.osmosis.engine.pipeline.ProgressListener;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Pending generations in the order they will run, and the one running. The person reorders and
 * cancels pending jobs; the running one is cancelled between denoising steps. Jobs run one at a
 * time on the executor's engine thread; every state change is published on the UI thread, where
 * all methods of this class are called.
 *
 * @param <T> what the worker returns for a finished job
 */
public final class JobQueue<T> {
    /** The work of one job, on the engine thread: generate (loading the model if needed) and save. */
    @FunctionalInterface
    public interface Worker<T> {
        T run(Job job, StateSink state, ProgressListener progress) throws Exception;
    }

    /** Lets the worker say which phase the job is in (published to the UI thread). */
    @FunctionalInterface
    public interface StateSink {
        void enter(JobState state);
    }

    /** Told, on the UI thread, about every job's progress and end. */
    public interface Listener<T> {
        default void started(Job job) {}

        default void progress(Job job, Progress progress) {}

        /** The engine decodes {@code tiles} VAE tiles; {@code done} are finished. */
        default void decoding(Job job, int done, int tiles) {}

        default void finished(Job job, T output) {}

        default void failed(Job job, Throwable error) {}

        default void cancelled(Job job) {}
    }

    private final TaskExecutor executor;
    private final Worker<T> worker;
    private final Listener<T> listener;
    private final ObservableList<Job> pending = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Job> running = new ReadOnlyObjectWrapper<>();
    private final AtomicLong ids = new AtomicLong();
    private final BooleanBinding busy = Bindings.createBooleanBinding(
            () -> running.get() != null || !pending.isEmpty(), running, pending);
    private boolean wantsPreview = true;

    public JobQueue(TaskExecutor executor, Worker<T> worker, Listener<T> listener) {
        this.executor = executor;
        this.worker = worker;
        this.listener = listener;
    }

    public ObservableList<Job> pending() {
        return pending;
    }

    public ReadOnlyObjectProperty<Job> runningProperty() {
        return running.getReadOnlyProperty();
    }

    public Job running() {
        return running.get();
    }

    /** True while a job runs or waits. */
    public BooleanBinding busyProperty() {
        return busy;
    }

    /** Whether the engine renders a cheap latent preview every step. */
    public void setWantsPreview(boolean wants) {
        wantsPreview = wants;
    }

    public Job submit(JobSpec spec) {
        Job job = new Job(ids.incrementAndGet(), spec);
        pending.add(job);
        pump();
        return job;
    }

    /** Moves a pending job {@code delta} places (negative: earlier); false when it cannot move. */
    public boolean move(Job job, int delta) {
        int from = pending.indexOf(job);
        if (from < 0) {
            return false;
        }
        int to = Math.max(0, Math.min(pending.size() - 1, from + delta));
        return moveTo(job, to);
    }

    /** Puts a pending job at {@code index} of the pending list. */
    public boolean moveTo(Job job, int index) {
        int from = pending.indexOf(job);
        if (from < 0 || index < 0 || index >= pending.size() || index == from) {
            return false;
        }
        pending.remove(from);
        pending.add(index, job);
        return true;
    }

    /** Removes a pending job, or asks the running one to stop after its current step. */
    public void cancel(Job job) {
        if (pending.remove(job)) {
            job.setState(JobState.CANCELLED);
            listener.cancelled(job);
        } else if (job == running.get()) {
            job.token().cancel();
        }
    }

    /** Cancels the running job; returns false when nothing runs. */
    public boolean cancelRunning() {
        Job job = running.get();
        if (job == null) {
            return false;
        }
        job.token().cancel();
        return true;
    }

    public void cancelAll() {
        for (Job j : java.util.List.copyOf(pending)) {
            cancel(j);
        }
        cancelRunning();
    }

    private void pump() {
        if (running.get() != null || pending.isEmpty()) {
            return;
        }
        Job job = pending.remove(0);
        running.set(job);
        job.setState(JobState.LOADING);
        listener.started(job);
        executor.background(() -> runOnEngineThread(job));
    }

    private void runOnEngineThread(Job job) {
        AtomicReference<Progress> latest = new AtomicReference<>();
        boolean preview = wantsPreview;
        ProgressListener progress = new ProgressListener() {
            @Override
            public void onStep(Progress p) {
                // coalesce: a fast model makes hundreds of steps a second, the UI needs the newest only
                if (latest.getAndSet(p) == null) {
                    executor.ui(() -> {
                        Progress newest = latest.getAndSet(null);
                        if (newest != null && job.state() == JobState.RUNNING) {
                            job.setProgress(newest.fraction());
                            listener.progress(job, newest);
                        }
                    });
                }
            }

            @Override
            public void onPhase(Phase phase, int done, int total) {
                if (phase == Phase.DECODING && total > 1) {
                    executor.ui(() -> listener.decoding(job, done, total));
                }
            }

            @Override
            public boolean wantsPreview() {
                return preview;
            }
        };
        StateSink states = s -> executor.ui(() -> {
            if (!job.state().isFinal()) {
                job.setState(s);
            }
        });
        try {
            if (job.isCancelRequested()) {
                throw new GenerationCancelledException(0, job.spec().request().steps());
            }
            T output = worker.run(job, states, progress);
            executor.ui(() -> end(job, JobState.DONE, () -> listener.finished(job, output)));
        } catch (GenerationCancelledException e) {
            executor.ui(() -> end(job, JobState.CANCELLED, () -> listener.cancelled(job)));
        } catch (Throwable e) {
            executor.ui(() -> end(job, JobState.FAILED, () -> listener.failed(job, e)));
        }
    }

    private void end(Job job, JobState state, Runnable tell) {
        job.setState(state);
        if (state == JobState.DONE) {
            job.setProgress(1);
        }
        running.set(null);
        tell.run();
        pump();
    }
}
