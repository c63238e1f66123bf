package dev.osmosis.app;

import dev.osmosis.app.canvas.CanvasViewModel;
import dev.osmosis.app.gallery.GalleryViewModel;
import dev.osmosis.app.queue.Job;
import dev.osmosis.app.queue.JobQueue;
import dev.osmosis.app.queue.JobSpec;
import dev.osmosis.app.services.NotificationCenter;
import dev.osmosis.app.services.TaskExecutor;
import dev.osmosis.app.store.HistoryEntry;
import dev.osmosis.app.store.ImageArchive;
import dev.osmosis.app.store.SettingsStore;
import dev.osmosis.engine.pipeline.GenerationRequest;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * Generate-as-you-type: each keystroke cancels the live job that is running or waiting, and a
 * pause of {@link #DEBOUNCE} queues a new one. Live images are shown, not saved, until the person
 * keeps one. Meant for fast models; a slow one gets a warning once.
 */
final class LiveMode {
    static final String KEY = "live";
    /** Quiet time after the last keystroke before a live job starts. */
    static final Duration DEBOUNCE = Duration.ofMillis(350);
    /** A model slower than this per image is not "fast". */
    static final Duration FAST_ENOUGH = Duration.ofSeconds(3);

    /** The last finished live image and the request that made it. */
    private record LiveImage(GenerationRequest request, JobOutput output) {}

    private final TaskExecutor executor;
    private final JobQueue<JobOutput> queue;
    private final Supplier<JobSpec> liveSpec;
    private final ImageArchive archive;
    private final GalleryViewModel gallery;
    private final CanvasViewModel canvas;
    private final NotificationCenter notes;
    private final BooleanProperty enabled = new SimpleBooleanProperty(false);
    private TaskExecutor.Cancellable timer;
    private LiveImage last;
    private boolean warnedSlow;

    /** @param liveSpec the form as a live job, or null when it cannot be built */
    LiveMode(TaskExecutor executor, JobQueue<JobOutput> queue, Supplier<JobSpec> liveSpec, ImageArchive archive,
            GalleryViewModel gallery, CanvasViewModel canvas, NotificationCenter notes, SettingsStore settings) {
        this.executor = executor;
        this.queue = queue;
        this.liveSpec = liveSpec;
        this.archive = archive;
        this.gallery = gallery;
        this.canvas = canvas;
        this.notes = notes;
        enabled.set(settings.get(KEY).map(Boolean::parseBoolean).orElse(false));
        enabled.addListener((obs, o, n) -> settings.put(KEY, Boolean.toString(n)));
    }

    BooleanProperty enabledProperty() {
        return enabled;
    }

    /** The prompt changed. */
    void typed() {
        if (!enabled.get()) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        cancelLiveJobs(); // the running live image is stale from the first keystroke
        timer = executor.uiLater(DEBOUNCE, this::submit);
    }

    private void cancelLiveJobs() {
        for (Job j : List.copyOf(queue.pending())) {
            if (j.spec().live()) {
                queue.cancel(j);
            }
        }
        Job running = queue.running();
        if (running != null && running.spec().live()) {
            queue.cancel(running);
        }
    }

    private void submit() {
        timer = null;
        if (!enabled.get()) {
            return;
        }
        cancelLiveJobs();
        JobSpec spec = liveSpec.get();
        if (spec != null) {
            queue.submit(spec);
        }
    }

    /** A live job finished: remember its image for Keep; warn once when the model is too slow for this. */
    void finished(Job job, JobOutput out, String time) {
        last = new LiveImage(job.spec().request(), out);
        if (!warnedSlow && out.result().elapsed().compareTo(FAST_ENOUGH) > 0) {
            warnedSlow = true;
            notes.warning("Live mode is slow with this model", "One image took " + time
                    + "; generate-as-you-type is meant for fast models such as the embedded one.");
        }
    }

    boolean hasImage() {
        return last != null;
    }

    /** Saves the image live mode last showed to the gallery. */
    void keep() {
        LiveImage kept = last;
        if (kept == null) {
            notes.info("Nothing to keep", "Live mode has not finished an image yet.");
            return;
        }
        last = null;
        executor.background(() -> {
            try {
                List<HistoryEntry> saved = archive.save(kept.request(), kept.output().result(),
                        kept.output().model().name(), false);
                executor.ui(() -> {
                    gallery.added(saved);
                    canvas.entryProperty().set(saved.isEmpty() ? null : saved.get(0));
                    notes.info("Kept", saved.size() + " image(s) added to the gallery");
                });
            } catch (Exception e) {
                executor.ui(() -> notes.error("Cannot save the image", e));
            }
        });
    }

    void close() {
        if (timer != null) {
            timer.cancel();
        }
    }
}
