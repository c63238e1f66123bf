package dev.osmosis.app.queue;

import dev.osmosis.engine.pipeline.CancellationToken;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;

/** One generation in the queue: its spec, its state and progress (updated on the UI thread), its cancel switch. */
public final class Job {
    private final long id;
    private final JobSpec spec;
    private final CancellationToken token = new CancellationToken();
    private final ObjectProperty<JobState> state = new SimpleObjectProperty<>(JobState.QUEUED);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);

    Job(long id, JobSpec spec) {
        this.id = id;
        this.spec = spec;
    }

    public long id() {
        return id;
    }

    public JobSpec spec() {
        return spec;
    }

    public CancellationToken token() {
        return token;
    }

    public ReadOnlyObjectProperty<JobState> stateProperty() {
        return state;
    }

    public JobState state() {
        return state.get();
    }

    void setState(JobState s) {
        state.set(s);
    }

    /** 0..1 of the denoising steps. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress;
    }

    void setProgress(double p) {
        progress.set(p);
    }

    public boolean isCancelRequested() {
        return token.isCancelled();
    }

    @Override
    public String toString() {
        return "job " + id + " (" + state.get() + ")";
    }
}
