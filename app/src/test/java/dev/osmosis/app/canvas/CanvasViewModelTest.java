package dev.osmosis.app.canvas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.app.canvas.CanvasViewModel.DropKind;
import dev.osmosis.app.prompt.PromptViewModel;
import dev.osmosis.app.services.NotificationCenter;
import dev.osmosis.app.testing.FakeEngine;
import dev.osmosis.engine.image.PngFile;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanvasViewModelTest {
    @TempDir
    Path dir;
    private final PromptViewModel prompt = new PromptViewModel();
    private final NotificationCenter notes = new NotificationCenter();
    private final List<String> restored = new ArrayList<>();
    private final CanvasViewModel vm = new CanvasViewModel(prompt, notes, (text, from) -> restored.add(text));

    @Test
    void aPlainImageBecomesTheImg2imgInput() throws Exception {
        Path photo = dir.resolve("photo.png");
        PngFile.write(photo, FakeEngine.image(120, 90, Color.GREEN), null);
        assertEquals(DropKind.IMAGE, vm.inspect(photo));
        vm.drop(photo, true);
        assertNotNull(prompt.initImageProperty().get());
        assertEquals(120, prompt.initImageProperty().get().image().getWidth());
        assertTrue(restored.isEmpty());
    }

    @Test
    void aPngWithParametersRestoresThemOrServesAsInput() throws Exception {
        Path made = dir.resolve("made.png");
        PngFile.write(made, FakeEngine.image(64, 64, Color.RED), "a star\nSteps: 5, Sampler: Euler, Seed: 3, Size: 64x64");
        assertEquals(DropKind.IMAGE_WITH_PARAMETERS, vm.inspect(made));
        vm.drop(made, true);
        assertEquals(1, restored.size());
        assertNull(prompt.initImageProperty().get());
        vm.drop(made, false);
        assertNotNull(prompt.initImageProperty().get());
    }

    @Test
    void anUnreadableImageIsANotification() throws Exception {
        Path fake = Files.writeString(dir.resolve("fake.png"), "not really a png");
        vm.drop(fake, true);
        assertNull(prompt.initImageProperty().get());
        assertEquals(NotificationCenter.Level.ERROR, notes.notices().get(0).level());
        assertTrue(notes.notices().get(0).message().contains("fake.png"), notes.notices().get(0).message());
        assertEquals(DropKind.UNSUPPORTED, vm.inspect(dir.resolve("notes.txt")));
    }

    @Test
    void previewThenImage() {
        vm.showPreview(FakeEngine.image(8, 8, Color.GRAY), "step 1/4");
        assertTrue(vm.previewingProperty().get());
        vm.showImage(FakeEngine.image(64, 64, Color.BLUE), "done", null);
        assertEquals("done", vm.captionProperty().get());
        assertTrue(!vm.previewingProperty().get());
    }
}
