package dev.osmosis.app.fx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.app.Studio;
import dev.osmosis.app.StudioApp;
import dev.osmosis.app.StudioViewModel;
import dev.osmosis.app.engine.DjlImageEngine;
import dev.osmosis.app.queue.JobState;
import dev.osmosis.app.services.FxTaskExecutor;
import dev.osmosis.app.services.NotificationCenter;
import dev.osmosis.app.services.NotificationCenter.Level;
import dev.osmosis.app.services.StudioPaths;
import dev.osmosis.app.store.HistoryEntry;
import dev.osmosis.app.store.HistoryStore;
import dev.osmosis.app.store.Database;
import dev.osmosis.engine.image.PngFile;
import dev.osmosis.engine.plugin.PluginRegistry;
import dev.osmosis.engine.testing.Fixtures;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.Node;
import javafx.scene.control.Slider;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The studio as a person uses it, headless (Monocle), on the real engine with the tiny random
 * SD1 fixture: its images are noise, but loading, denoising, decoding and saving are all real.
 */
class StudioFxTest {
    private static final int TIMEOUT_S = 120;

    @TempDir
    Path home;
    private final FxRobot robot = new FxRobot();
    private StudioApp app;

    @BeforeAll
    static void toolkit() throws TimeoutException {
        FxToolkit.registerPrimaryStage();
    }

    private StudioApp launch() throws Exception {
        Callable<Studio> factory = () -> {
            Studio s = Studio.open(new StudioPaths(home.resolve("data")), new FxTaskExecutor(),
                    new DjlImageEngine(PluginRegistry.discover()), Optional.empty(), new NotificationCenter());
            s.viewModel().addModel(Fixtures.tinySd1());
            return s;
        };
        app = (StudioApp) FxToolkit.setupApplication(() -> new StudioApp(factory));
        Stage stage = FxToolkit.toolkitContext().getRegisteredStage();
        robot.interact(() -> {
            stage.setWidth(1400);
            stage.setHeight(880);
        });
        waitFor(() -> vm().modelInfoProperty().get() != null, "the tiny model to load");
        return app;
    }

    @AfterEach
    void close() throws Exception {
        if (app != null) {
            FxToolkit.cleanupApplication(app);
            app = null;
        }
    }

    private StudioViewModel vm() {
        return app.studio().viewModel();
    }

    private static void waitFor(Callable<Boolean> condition, String what) throws TimeoutException {
        try {
            WaitForAsyncUtils.waitFor(TIMEOUT_S, TimeUnit.SECONDS, condition);
        } catch (TimeoutException e) {
            throw new TimeoutException("timed out waiting for " + what);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private int rowsInDatabase() throws Exception {
        try (Database db = Database.open(home.resolve("data/studio.db"))) {
            return new HistoryStore(db, home.resolve("data/images")).count();
        }
    }

    @Test
    void typeAPromptPressCtrlEnterAndTheImageLandsInGalleryAndDatabase() throws Exception {
        launch();
        robot.interact(() -> vm().prompt().stepsProperty().set(4));
        robot.clickOn("#prompt").write("a red circle");
        assertEquals("a red circle", vm().prompt().promptProperty().get());
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);

        waitFor(() -> !vm().gallery().items().isEmpty(), "the image in the gallery");
        HistoryEntry e = vm().gallery().items().get(0);
        assertEquals("a red circle", e.prompt());
        assertTrue(PngFile.readParameters(e.file()).orElseThrow().startsWith("a red circle"));
        assertEquals(1, rowsInDatabase());
        assertFalse(robot.lookup(".gallery-cell").queryAll().stream().filter(n -> ((javafx.scene.control.IndexedCell<?>) n).getItem() != null).toList().isEmpty(),
                "a thumbnail is drawn");
        assertTrue(robot.lookup("#canvas-caption").queryLabeled().getText().contains("seed " + e.seed()));
    }

    @Test
    void escapeCancelsARunningJob() throws Exception {
        launch();
        robot.interact(() -> {
            vm().prompt().stepsProperty().set(1000);
            vm().prompt().widthProperty().set(256);
            vm().prompt().heightProperty().set(256);
        });
        robot.clickOn("#prompt").write("a long run");
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        waitFor(() -> vm().queue().running() != null && vm().queue().running().state() == JobState.RUNNING
                && !vm().status().stepProperty().get().isEmpty(), "the first denoising steps");
        var job = vm().queue().running();
        // a toast on screen must not swallow Esc (popups hide on Esc before the window sees it)
        robot.interact(() -> vm().notifications().info("Just so", "a toast is showing"));
        waitFor(() -> !robot.lookup(".notification-bar").queryAll().isEmpty(), "the toast");
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        waitFor(() -> job.state() == JobState.CANCELLED, "the job to stop");
        assertTrue(job.progressProperty().get() < 1.0);
        assertEquals("Cancelled", vm().status().messageProperty().get());
        assertTrue(vm().gallery().items().isEmpty());
        assertEquals(0, rowsInDatabase());
    }

    @Test
    void droppingAnImageMakesItTheImg2imgInputWithAStrengthSlider() throws Exception {
        launch();
        Path photo = home.resolve("photo.png");
        BufferedImage img = new BufferedImage(96, 80, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.MAGENTA);
        g.fillOval(10, 10, 60, 50);
        g.dispose();
        PngFile.write(photo, img, null);
        Node card = robot.lookup("#init-card").query();
        assertFalse(card.isVisible());

        robot.interact(() -> app.window().canvasView().dropFile(photo, 10));
        assertTrue(card.isVisible());
        assertEquals(96, vm().prompt().initImageProperty().get().image().getWidth());
        Slider strength = robot.lookup("#strength").queryAs(Slider.class);
        robot.interact(() -> strength.setValue(0.5));
        assertEquals(0.5, vm().prompt().strengthProperty().get(), 1e-9);

        robot.interact(() -> vm().prompt().stepsProperty().set(4));
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        waitFor(() -> !vm().gallery().items().isEmpty(), "the img2img image");
        HistoryEntry e = vm().gallery().items().get(0);
        assertEquals(0.5, e.strength(), 1e-9);
        assertTrue(e.parameters().contains("Denoising strength: 0.5"), e.parameters());

        robot.clickOn("#clear-init-image");
        assertFalse(card.isVisible());
    }

    @Test
    void aRestartRestoresTheHistory() throws Exception {
        launch();
        robot.interact(() -> {
            vm().prompt().stepsProperty().set(3);
            vm().prompt().promptProperty().set("before the restart");
        });
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        waitFor(() -> !vm().gallery().items().isEmpty(), "the first image");
        FxToolkit.cleanupApplication(app);

        launch();
        assertEquals(List.of("before the restart"),
                vm().gallery().items().stream().map(HistoryEntry::prompt).toList());
        assertEquals("before the restart", vm().prompt().promptProperty().get());
        assertEquals("1 image", robot.lookup("#gallery-count").queryLabeled().getText());
    }

    @Test
    void aCorruptModelFileGivesANotificationNotACrash() throws Exception {
        launch();
        Path broken = home.resolve("broken.safetensors");
        Files.write(broken, new byte[] {(byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0, '{', '}'});
        robot.interact(() -> vm().addModel(broken));
        waitFor(() -> vm().notifications().notices().stream().anyMatch(n -> n.level() == Level.ERROR),
                "the error notice");
        var notice = vm().notifications().notices().stream().filter(n -> n.level() == Level.ERROR).findFirst().orElseThrow();
        assertTrue(notice.message().contains("broken.safetensors"), notice.message());
        waitFor(() -> !robot.lookup(".notification-bar").queryAll().isEmpty(), "the toast on screen");

        // the studio keeps working: back to the good model, generate
        robot.interact(() -> vm().models().selectedProperty().set(vm().models().byName("tiny-sd1").orElseThrow()));
        waitFor(() -> vm().modelInfoProperty().get() != null, "the good model to load again");
        robot.interact(() -> vm().prompt().stepsProperty().set(3));
        robot.clickOn("#generate");
        waitFor(() -> !vm().gallery().items().isEmpty(), "an image after the error");
    }
}
