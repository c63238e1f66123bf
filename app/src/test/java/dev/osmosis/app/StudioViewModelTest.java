package dev.osmosis.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.app.models.ModelSource;
import dev.osmosis.app.prompt.SeedMode;
import dev.osmosis.app.queue.Job;
import dev.osmosis.app.queue.JobState;
import dev.osmosis.app.services.DirectTaskExecutor;
import dev.osmosis.app.services.NotificationCenter;
import dev.osmosis.app.services.NotificationCenter.Level;
import dev.osmosis.app.services.NotificationCenter.Notice;
import dev.osmosis.app.services.StudioPaths;
import dev.osmosis.app.store.HistoryEntry;
import dev.osmosis.app.testing.FakeEngine;
import dev.osmosis.app.testing.FakePlugin;
import dev.osmosis.engine.image.PngFile;
import dev.osmosis.engine.plugin.PluginFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main flows on a fake engine, every step on the test thread. */
class StudioViewModelTest {
    @TempDir
    Path home;
    private final DirectTaskExecutor executor = new DirectTaskExecutor();
    private final FakeEngine engine = new FakeEngine(List.of(new FakePlugin("deepcache", PluginFamily.ACCELERATOR)));
    private NotificationCenter notes;
    private Studio studio;
    private StudioViewModel vm;
    private Path model;

    @BeforeEach
    void open() throws Exception {
        model = Files.createDirectories(home.resolve("models/tiny"));
        studio = openStudio();
        vm.addModel(model);
    }

    private Studio openStudio() throws Exception {
        notes = new NotificationCenter();
        Studio s = Studio.open(new StudioPaths(home.resolve("data")), executor, engine, Optional.empty(), notes);
        vm = s.viewModel();
        vm.start();
        return s;
    }

    @AfterEach
    void close() {
        studio.close();
    }

    private List<Notice> errors() {
        return notes.notices().stream().filter(n -> n.level() == Level.ERROR).toList();
    }

    @Test
    void generateSavesToGalleryAndDatabaseAndShowsTheImage() {
        vm.prompt().promptProperty().set("a red star");
        vm.prompt().stepsProperty().set(4);
        Job job = vm.generate();
        assertNotNull(job);
        assertEquals(JobState.DONE, job.state());
        assertEquals(1, vm.gallery().items().size());
        HistoryEntry e = vm.gallery().items().get(0);
        assertEquals("a red star", e.prompt());
        assertEquals(64, e.width(), "the loaded model's native size replaced the default");
        assertTrue(Files.exists(e.file()));
        assertEquals(1, studio.database() != null ? vm.gallery().totalProperty().get() : -1);
        assertNotNull(vm.canvas().imageProperty().get());
        assertEquals(e, vm.canvas().entryProperty().get());
        assertEquals(e.seed(), vm.prompt().lastSeedProperty().get());
        assertTrue(vm.status().messageProperty().get().startsWith("1 image(s)"), vm.status().messageProperty().get());
        assertTrue(errors().isEmpty(), errors().toString());
    }

    @Test
    void badFormIsANotificationNotAJob() {
        vm.prompt().widthProperty().set(100);
        assertNull(vm.generate());
        assertTrue(errors().get(0).message().startsWith("width"), errors().toString());
        assertTrue(engine.requests.isEmpty());
    }

    @Test
    void aCorruptModelIsReportedAndTheStudioKeepsWorking() throws Exception {
        Path broken = Files.write(home.resolve("broken.safetensors"), new byte[] {1, 2, 3});
        assertTrue(vm.addModel(broken));
        assertTrue(errors().get(0).title().contains("broken.safetensors"), errors().toString());
        assertTrue(errors().get(0).message().contains("broken.safetensors"));
        assertNull(vm.modelInfoProperty().get());
        Job failed = vm.generate();
        assertEquals(JobState.FAILED, failed.state());

        vm.models().selectedProperty().set(vm.models().byName("tiny").orElseThrow());
        assertEquals(JobState.DONE, vm.generate().state());
        assertEquals(1, vm.gallery().items().size());
    }

    @Test
    void escapeCancelsTheRunningJobAndNothingIsSaved() {
        vm.prompt().stepsProperty().set(50);
        AtomicInteger steps = new AtomicInteger();
        engine.beforeStep = () -> {
            if (steps.incrementAndGet() == 3) {
                assertTrue(vm.cancel());
            }
        };
        Job job = vm.generate();
        assertEquals(JobState.CANCELLED, job.state());
        assertEquals(3, steps.get());
        assertTrue(vm.gallery().items().isEmpty());
        assertEquals("Cancelled", vm.status().messageProperty().get());
        assertFalse(vm.cancel(), "nothing left to cancel");
    }

    @Test
    void generationErrorsAndOutOfMemoryBecomeNotifications() {
        engine.failGenerate = new RuntimeException("DefaultCPUAllocator: not enough memory: you tried to allocate 9 GB");
        assertEquals(JobState.FAILED, vm.generate().state());
        assertTrue(errors().get(0).message().startsWith("Out of memory"), errors().toString());
        engine.failGenerate = null;
        assertEquals(JobState.DONE, vm.generate().state());
    }

    @Test
    void liveModeDebouncesTypingAndANewKeystrokeCancelsTheLiveJob() {
        vm.liveProperty().set(true);
        vm.prompt().stepsProperty().set(6);
        vm.prompt().promptProperty().set("a");
        vm.prompt().promptProperty().set("a r");
        vm.prompt().promptProperty().set("a re");
        assertTrue(engine.requests.isEmpty(), "nothing runs while typing");
        executor.runDelayed();
        assertEquals(1, engine.requests.size(), "one job after the pause");
        assertEquals("a re", engine.requests.get(0).prompt());
        assertTrue(vm.gallery().items().isEmpty(), "live images are not saved");
        assertTrue(vm.hasLiveImage());

        // a keystroke while the next live job runs cancels it
        AtomicInteger steps = new AtomicInteger();
        engine.beforeStep = () -> {
            if (steps.incrementAndGet() == 2) {
                vm.prompt().promptProperty().set("a red");
            }
        };
        vm.prompt().promptProperty().set("a red s");
        executor.runDelayed();
        assertEquals(2, engine.requests.size());
        engine.beforeStep = () -> { };
        executor.runDelayed();
        assertEquals(3, engine.requests.size());
        assertEquals("a red", engine.requests.get(2).prompt());

        vm.keepLive();
        assertEquals(1, vm.gallery().items().size(), "Keep saves the live image");
        assertEquals("a red", vm.gallery().items().get(0).prompt());
    }

    @Test
    void liveModeOffMeansTypingDoesNothing() {
        vm.prompt().promptProperty().set("quiet");
        executor.runDelayed(); // only the form's save runs
        assertTrue(engine.requests.isEmpty());
    }

    @Test
    void sendToPromptRestoresFormModelAndPlugins() {
        vm.prompt().promptProperty().set("a (blue:1.2) ring");
        vm.prompt().samplerProperty().set("ddim");
        vm.plugins().enabledProperty("deepcache").set(true);
        vm.plugins().state("deepcache").set("interval", "5");
        vm.generate();
        HistoryEntry made = vm.gallery().items().get(0);
        assertEquals("deepcache:interval=5", made.plugins());

        vm.prompt().promptProperty().set("something else");
        vm.prompt().samplerProperty().set("heun");
        vm.plugins().enabledProperty("deepcache").set(false);
        vm.sendToPrompt(made);
        assertEquals("a (blue:1.2) ring", vm.prompt().promptProperty().get());
        assertEquals("ddim", vm.prompt().samplerProperty().get());
        assertEquals(made.seed(), vm.prompt().seedProperty().get());
        assertEquals(SeedMode.FIXED, vm.prompt().seedModeProperty().get());
        assertTrue(vm.plugins().state("deepcache").isEnabled());
        assertEquals("5", vm.plugins().state("deepcache").values().get("interval"));
        assertEquals("tiny", vm.models().selected().label());

        vm.generate();
        assertEquals(made.seed(), vm.gallery().items().get(0).seed(), "same seed again");
    }

    @Test
    void aRestartRestoresHistoryFormAndModels() throws Exception {
        vm.prompt().promptProperty().set("remember me");
        vm.prompt().stepsProperty().set(3);
        vm.generate();
        vm.darkThemeProperty().set(true);
        studio.close();

        studio = openStudio();
        assertEquals(1, vm.gallery().items().size());
        assertEquals("remember me", vm.gallery().items().get(0).prompt());
        assertEquals("remember me", vm.prompt().promptProperty().get());
        assertEquals(3, vm.prompt().stepsProperty().get());
        assertEquals("tiny", vm.models().selected().label());
        assertTrue(vm.darkThemeProperty().get());
    }

    @Test
    void imagesWrittenBeforeACrashComeBackAtTheNextStart() throws Exception {
        vm.prompt().promptProperty().set("survivor");
        vm.generate();
        HistoryEntry e = vm.gallery().items().get(0);
        studio.close();
        // as if the row had never been committed: delete it behind the studio's back
        try (var db = dev.osmosis.app.store.Database.open(home.resolve("data/studio.db"))) {
            new dev.osmosis.app.store.HistoryStore(db, home.resolve("data/images")).delete(e.id());
        }
        studio = openStudio();
        assertEquals(List.of("survivor"), vm.gallery().items().stream().map(HistoryEntry::prompt).toList());
        assertTrue(notes.notices().stream().anyMatch(n -> n.title().equals("History repaired")));
    }

    @Test
    void droppingAStudioPngRestoresItsParameters() throws Exception {
        vm.prompt().promptProperty().set("dropped prompt");
        vm.prompt().cfgScaleProperty().set(3);
        vm.generate();
        Path png = vm.gallery().items().get(0).file();
        assertTrue(PngFile.readParameters(png).isPresent());
        vm.prompt().promptProperty().set("");
        vm.prompt().cfgScaleProperty().set(9);
        vm.canvas().drop(png, true);
        assertEquals("dropped prompt", vm.prompt().promptProperty().get());
        assertEquals(3.0, vm.prompt().cfgScaleProperty().get());
        assertNull(vm.prompt().initImageProperty().get());

        vm.canvas().drop(png, false);
        assertNotNull(vm.prompt().initImageProperty().get(), "the other target makes it the img2img input");
        assertTrue(vm.generate().spec().request().isImg2Img());
    }

    @Test
    void modelArgumentsAreParsed() {
        assertEquals(List.of("a", "b"), StudioApp.modelArguments(List.of("--model", "a", "--other", "--model=b")));
    }

    @Test
    void noModelIsAWarningNotACrash() throws Exception {
        studio.close();
        home = Files.createDirectories(home.resolve("other"));
        studio = openStudio();
        assertNull(vm.models().selected());
        assertNull(vm.generate());
        assertTrue(notes.notices().stream().anyMatch(n -> n.level() == Level.WARNING));
        ModelSource none = vm.models().selected();
        assertNull(none);
    }
}
