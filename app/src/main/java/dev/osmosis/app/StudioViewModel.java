package dev.osmosis.app;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.osmosis.app.canvas.CanvasViewModel;
import dev.osmosis.app.engine.EngineInfo;
import dev.osmosis.app.engine.ImageEngine;
import dev.osmosis.app.engine.ModelInfo;
import dev.osmosis.app.gallery.GalleryViewModel;
import dev.osmosis.app.models.ModelCatalog;
import dev.osmosis.app.models.ModelSource;
import dev.osmosis.app.plugins.PluginPanelViewModel;
import dev.osmosis.app.prompt.PromptViewModel;
import dev.osmosis.app.queue.Job;
import dev.osmosis.app.queue.JobQueue;
import dev.osmosis.app.queue.JobSpec;
import dev.osmosis.app.queue.JobState;
import dev.osmosis.app.services.NotificationCenter;
import dev.osmosis.app.services.TaskExecutor;
import dev.osmosis.app.status.StatusViewModel;
import dev.osmosis.app.store.HistoryEntry;
import dev.osmosis.app.store.ImageArchive;
import dev.osmosis.app.store.SettingsStore;
import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.GenerationResult;
import dev.osmosis.engine.pipeline.Progress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The studio's main view-model: owns the area view-models and the job queue, and carries what
 * crosses areas — Generate and Cancel, generate-as-you-type, model loading, results flowing to the
 * canvas, gallery and status bar, "send to prompt" and drops restoring parameters, and remembering
 * the form. Called on the UI thread; engine work goes through the {@link TaskExecutor}.
 */
public final class StudioViewModel implements AutoCloseable {
    static final String FORM_KEY = "form";
    static final String THEME_KEY = "theme";

    private final TaskExecutor executor;
    private final ImageEngine engine;
    private final ImageArchive archive;
    private final SettingsStore settings;
    private final NotificationCenter notes;
    private final PromptViewModel prompt;
    private final ModelCatalog models;
    private final CanvasViewModel canvas;
    private final GalleryViewModel gallery;
    private final PluginPanelViewModel plugins;
    private final StatusViewModel status = new StatusViewModel();
    private final JobQueue<JobOutput> queue;
    private final LiveMode live;
    private final BooleanProperty dark = new SimpleBooleanProperty(false);
    private final ObjectProperty<ModelInfo> modelInfo = new SimpleObjectProperty<>();
    private final ObjectProperty<EngineInfo> engineInfo = new SimpleObjectProperty<>();
    private TaskExecutor.Cancellable saveTimer;

    public StudioViewModel(TaskExecutor executor, ImageEngine engine, ImageArchive archive, SettingsStore settings,
            ModelCatalog models, NotificationCenter notes, PromptViewModel prompt) {
        this.executor = executor;
        this.engine = engine;
        this.archive = archive;
        this.settings = settings;
        this.models = models;
        this.notes = notes;
        this.prompt = prompt;
        this.canvas = new CanvasViewModel(prompt, notes, this::restoreParameters);
        this.gallery = new GalleryViewModel(archive, notes);
        this.plugins = new PluginPanelViewModel(engine.plugins(), settings);
        this.queue = new JobQueue<>(executor, this::runJob, new QueueEvents());
        this.live = new LiveMode(executor, queue, () -> spec(true), archive, gallery, canvas, notes, settings);

        settings.getJson(FORM_KEY, new TypeReference<Map<String, Object>>() {}).ifPresent(prompt::restore);
        dark.set(settings.get(THEME_KEY).map("dark"::equals).orElse(false));
        dark.addListener((obs, o, n) -> settings.put(THEME_KEY, n ? "dark" : "light"));

        for (javafx.beans.Observable field : List.of(prompt.promptProperty(), prompt.negativePromptProperty())) {
            field.addListener(o -> {
                scheduleSave();
                live.typed();
            });
        }
        for (javafx.beans.Observable field : List.of(prompt.samplerProperty(), prompt.stepsProperty(),
                prompt.cfgScaleProperty(), prompt.seedModeProperty(), prompt.seedProperty(), prompt.widthProperty(),
                prompt.heightProperty(), prompt.batchProperty(), prompt.clipSkipProperty(), prompt.strengthProperty(),
                prompt.saveLatentsProperty())) {
            field.addListener(o -> scheduleSave());
        }
        for (javafx.beans.Observable field : List.of(prompt.deviceProperty(), prompt.predictionProperty(),
                prompt.textEncoderHeadsProperty())) {
            field.addListener(o -> {
                scheduleSave();
                loadSelectedModel();
            });
        }
        models.selectedProperty().addListener((obs, o, n) -> loadSelectedModel());
    }

    // --- the areas ---------------------------------------------------------------------------------

    public PromptViewModel prompt() { return prompt; }
    public ModelCatalog models() { return models; }
    public CanvasViewModel canvas() { return canvas; }
    public GalleryViewModel gallery() { return gallery; }
    public PluginPanelViewModel plugins() { return plugins; }
    public StatusViewModel status() { return status; }
    public JobQueue<JobOutput> queue() { return queue; }
    public NotificationCenter notifications() { return notes; }
    /** Generate-as-you-type. */
    public BooleanProperty liveProperty() { return live.enabledProperty(); }
    public BooleanProperty darkThemeProperty() { return dark; }
    public ObjectProperty<ModelInfo> modelInfoProperty() { return modelInfo; }
    public ObjectProperty<EngineInfo> engineInfoProperty() { return engineInfo; }

    // --- start-up ----------------------------------------------------------------------------------

    /** Loads the history (repairing what a crash left), starts the engine and loads the selected model. */
    public void start() {
        try {
            List<HistoryEntry> recovered = archive.recover();
            if (!recovered.isEmpty()) {
                notes.info("History repaired", recovered.size() + " image(s) found without a history row were put back.");
            }
        } catch (java.io.IOException | RuntimeException e) {
            notes.error("Cannot check the images folder", e);
        }
        gallery.reload();
        if (!gallery.items().isEmpty()) {
            canvas.showEntry(gallery.items().get(0));
        }
        status.busy("Starting the engine…");
        executor.background(() -> {
            try {
                EngineInfo info = engine.start();
                executor.ui(() -> {
                    engineInfo.set(info);
                    status.device(deviceLabel(null));
                    if (modelInfo.get() == null && queue.running() == null) {
                        status.idle(models.selected() == null ? "Ready · add a model to start" : "Ready");
                    }
                });
            } catch (Throwable e) {
                executor.ui(() -> {
                    notes.error("The engine did not start", e);
                    status.idle("Engine unavailable");
                });
            }
        });
        if (models.selected() == null) {
            notes.warning("No model yet", "Add a diffusers folder or a .safetensors checkpoint with the + next to the model picker.");
        } else {
            loadSelectedModel();
        }
    }

    /** Loads the selected model now (in the background), so a broken file is reported before Generate. */
    public void loadSelectedModel() {
        ModelSource source = models.selected();
        if (source == null) {
            return;
        }
        var modelSettings = safeModelSettings();
        if (modelSettings == null) {
            return;
        }
        if (queue.running() == null) {
            status.busy("Loading " + source.label() + "…");
        }
        executor.background(() -> {
            try {
                ModelInfo info = engine.load(source, modelSettings);
                executor.ui(() -> modelLoaded(source, info));
            } catch (Throwable e) {
                executor.ui(() -> {
                    if (source.equals(models.selected())) {
                        modelInfo.set(null);
                    }
                    notes.error("Cannot load model " + source.label(), e);
                    if (queue.running() == null) {
                        status.idle("Model not loaded: " + source.label());
                    }
                });
            }
        });
    }

    private dev.osmosis.app.engine.ModelSettings safeModelSettings() {
        try {
            return prompt.modelSettings();
        } catch (IllegalArgumentException e) {
            notes.error("Model settings", e);
            return null;
        }
    }

    private void modelLoaded(ModelSource source, ModelInfo info) {
        if (!source.equals(models.selected())) {
            return;
        }
        boolean changed = modelInfo.get() == null || !info.source().equals(modelInfo.get().source());
        modelInfo.set(info);
        if (changed) {
            prompt.adoptNativeSize(info.nativeResolution());
            prompt.adoptRecommendedCfg(info.recommendedCfg());
        }
        status.device(deviceLabel(info));
        if (queue.running() == null) {
            status.idle("Ready · " + info.name() + (info.loadMillis() > 0
                    ? String.format(Locale.ROOT, " loaded in %.1f s", info.loadMillis() / 1000.0) : ""));
        }
    }

    private String deviceLabel(ModelInfo info) {
        EngineInfo e = engineInfo.get();
        String device = info == null ? (prompt.deviceProperty().get().equals("gpu") ? "GPU" : "CPU") : info.device();
        if (e == null) {
            return device;
        }
        return device + (device.startsWith("CPU") ? " · " + e.threads() + (e.threads() == 1 ? " thread" : " threads") : "") + " · " + e.backend();
    }

    // --- generating --------------------------------------------------------------------------------

    /** Queues a generation of the form as it is (Ctrl+Enter); null with a notification when it cannot. */
    public Job generate() {
        JobSpec spec = spec(false);
        return spec == null ? null : queue.submit(spec);
    }

    /** Cancels the running job (Esc); false when none runs. */
    public boolean cancel() {
        return queue.cancelRunning();
    }

    private JobSpec spec(boolean liveJob) {
        ModelSource source = models.selected();
        if (source == null) {
            notes.warning("No model", "Pick or add a model first.");
            return null;
        }
        try {
            GenerationRequest request = prompt.buildRequest(prompt.nextSeed(), plugins.requests());
            return new JobSpec(source, prompt.modelSettings(), request, liveJob,
                    !liveJob && prompt.saveLatentsProperty().get());
        } catch (IllegalArgumentException e) {
            if (!liveJob) {
                notes.error("Cannot generate", e);
            } else {
                status.idle("Live: " + e.getMessage());
            }
            return null;
        }
    }

    /** Saves the image live mode last showed to the gallery. */
    public void keepLive() {
        live.keep();
    }

    public boolean hasLiveImage() {
        return live.hasImage();
    }

    /** On the engine thread: load, generate, save. */
    private JobOutput runJob(Job job, JobQueue.StateSink state, dev.osmosis.engine.pipeline.ProgressListener progress)
            throws Exception {
        JobSpec spec = job.spec();
        ModelInfo info = engine.load(spec.model(), spec.modelSettings());
        executor.ui(() -> modelLoaded(spec.model(), info));
        state.enter(JobState.RUNNING);
        GenerationResult result = engine.generate(spec.model(), spec.modelSettings(), spec.request(), progress,
                job.token());
        if (spec.live()) {
            return new JobOutput(result, List.of(), info);
        }
        state.enter(JobState.SAVING);
        List<HistoryEntry> saved = archive.save(spec.request(), result, info.name(), spec.saveLatents());
        return new JobOutput(result, saved, info);
    }

    private final class QueueEvents implements JobQueue.Listener<JobOutput> {
        @Override
        public void started(Job job) {
            status.busy((job.spec().live() ? "Live: " : "") + "loading " + job.spec().model().label() + "…");
        }

        @Override
        public void progress(Job job, Progress p) {
            String what = job.spec().live() ? "Live preview" : "Generating";
            status.progress(what, p);
            canvas.showPreview(p.preview(), what + " · step " + p.step() + "/" + p.total());
        }

        @Override
        public void decoding(Job job, int done, int tiles) {
            status.decoding(done, tiles);
        }

        @Override
        public void finished(Job job, JobOutput out) {
            GenerationResult r = out.result();
            String time = String.format(Locale.ROOT, "%.1f s", r.elapsed().toNanos() / 1e9);
            HistoryEntry first = out.saved().isEmpty() ? null : out.saved().get(0);
            canvas.showImage(r.images().get(0), "seed " + r.seeds().get(0) + " · " + job.spec().request().width()
                    + "×" + job.spec().request().height() + " · " + time
                    + (job.spec().live() ? " · live (not saved)" : ""), first);
            prompt.recordSeed(r.seeds().get(0));
            if (job.spec().live()) {
                live.finished(job, out, time);
            } else {
                gallery.added(out.saved());
                if (first != null) {
                    gallery.selectedProperty().set(first);
                }
            }
            String reports = r.pluginReports().isEmpty() ? "" : " · " + String.join("; ", r.pluginReports());
            if (queue.running() == null) {
                status.idle((job.spec().live() ? "Live image" : r.images().size() + " image(s)") + " in " + time + reports);
            }
        }

        @Override
        public void failed(Job job, Throwable error) {
            canvas.endPreview("Failed");
            notes.error(job.spec().live() ? "Live generation failed" : "Generation failed", error);
            if (queue.running() == null) {
                status.idle("Failed: " + dev.osmosis.app.services.ErrorMessages.describe(error));
            }
        }

        @Override
        public void cancelled(Job job) {
            if (job.stateProperty().get() == JobState.CANCELLED && queue.running() == null && !queue.busyProperty().get()) {
                status.idle(job.spec().live() ? "Live job replaced" : "Cancelled");
            }
            if (canvas.previewingProperty().get() && !job.spec().live()) {
                canvas.endPreview("Cancelled");
            }
        }
    }

    // --- across areas ------------------------------------------------------------------------------

    /** "Send to prompt": the form, model and plugins as the image was made. */
    public void sendToPrompt(HistoryEntry entry) {
        restoreParameters(entry.parameters(), entry.file());
    }

    /** Uses a gallery image as the img2img input. */
    public void useAsInitImage(HistoryEntry entry) {
        canvas.useAsInit(entry.file());
    }

    /** Applies a parameters text to the form, the model picker and the plugin switches. */
    public void restoreParameters(String text, Path from) {
        String source = from == null ? "the image" : String.valueOf(from.getFileName());
        PromptViewModel.Restored restored;
        try {
            restored = prompt.applyParameters(text);
        } catch (IllegalArgumentException e) {
            notes.error("Cannot restore parameters from " + source, e);
            return;
        }
        StringBuilder notesText = new StringBuilder("Prompt and settings of " + source + " restored.");
        if (restored.model() != null) {
            var m = models.byName(restored.model());
            if (m.isPresent()) {
                models.selectedProperty().set(m.get());
            } else {
                notesText.append(" It was made with model '").append(restored.model()).append("', which is not in your list.");
            }
        }
        List<String> unknown = plugins.apply(restored.plugins());
        if (!unknown.isEmpty()) {
            notesText.append(" Plugins not available here: ").append(String.join(", ", unknown)).append('.');
        }
        notes.info("Parameters restored", notesText.toString());
    }

    /** Adds a model folder or file and selects it (which loads it); false with a notification when refused. */
    public boolean addModel(Path path) {
        try {
            models.add(path);
            return true;
        } catch (IllegalArgumentException e) {
            notes.error("Cannot add model", e);
            return false;
        }
    }

    // --- remembering -------------------------------------------------------------------------------

    private void scheduleSave() {
        if (saveTimer != null) {
            saveTimer.cancel();
        }
        saveTimer = executor.uiLater(Duration.ofMillis(800), this::saveForm);
    }

    /** Writes the form to the settings now. */
    public void saveForm() {
        saveTimer = null;
        try {
            settings.putJson(FORM_KEY, prompt.snapshot());
        } catch (RuntimeException e) {
            System.getLogger("osmosis.studio").log(System.Logger.Level.WARNING, "saving the form", e);
        }
    }

    /** Cancels what runs, saves the form. The caller closes the executor, engine and database. */
    @Override
    public void close() {
        live.close();
        queue.cancelAll();
        saveForm();
    }
}
