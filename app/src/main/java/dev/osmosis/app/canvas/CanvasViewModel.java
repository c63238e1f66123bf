package dev.osmosis.app.canvas;

import dev.osmosis.app.prompt.InitImage;
import dev.osmosis.app.prompt.PromptViewModel;
import dev.osmosis.app.services.NotificationCenter;
import dev.osmosis.app.store.HistoryEntry;
import dev.osmosis.engine.image.ImageLoading;
import dev.osmosis.engine.image.PngFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiConsumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The canvas: the picture shown (each step's cheap latent preview while a job runs, then the
 * decoded image or a gallery image), its caption, and what a file dropped on it does: an image
 * becomes the img2img input, a PNG with generation parameters restores them. Holds AWT images so
 * it needs no toolkit; the view converts.
 */
public final class CanvasViewModel {
    /** What a dragged file offers. */
    public enum DropKind {
        /** A PNG from this studio or A1111: its parameters can be restored, or it can be the img2img input. */
        IMAGE_WITH_PARAMETERS,
        /** Any other image the engine reads: the img2img input. */
        IMAGE,
        /** Not an image file. */
        UNSUPPORTED
    }

    private final PromptViewModel prompt;
    private final NotificationCenter notes;
    private final BiConsumer<String, Path> restorer;
    private final ObjectProperty<BufferedImage> image = new SimpleObjectProperty<>();
    private final StringProperty caption = new SimpleStringProperty("");
    private final BooleanProperty previewing = new SimpleBooleanProperty(false);
    private final ObjectProperty<HistoryEntry> entry = new SimpleObjectProperty<>();

    /**
     * @param restorer applies a parameters text (from the file given second) to the whole studio:
     *     the form, the model and the plugins
     */
    public CanvasViewModel(PromptViewModel prompt, NotificationCenter notes, BiConsumer<String, Path> restorer) {
        this.prompt = prompt;
        this.notes = notes;
        this.restorer = restorer;
    }

    public ObjectProperty<BufferedImage> imageProperty() {
        return image;
    }

    public StringProperty captionProperty() {
        return caption;
    }

    /** True while the picture is a step preview rather than a decoded image. */
    public BooleanProperty previewingProperty() {
        return previewing;
    }

    /** The gallery entry shown, or null for previews and unsaved (live) images. */
    public ObjectProperty<HistoryEntry> entryProperty() {
        return entry;
    }

    public void showPreview(BufferedImage preview, String text) {
        if (preview != null) {
            image.set(preview);
        }
        caption.set(text);
        previewing.set(true);
        entry.set(null);
    }

    public void showImage(BufferedImage picture, String text, HistoryEntry shown) {
        image.set(picture);
        caption.set(text);
        previewing.set(false);
        entry.set(shown);
    }

    /** Shows a stored image, read from its PNG. */
    public void showEntry(HistoryEntry e) {
        try {
            showImage(ImageLoading.read(e.file()), caption(e), e);
        } catch (IllegalArgumentException ex) {
            notes.error("Cannot show image", ex);
        }
    }

    public static String caption(HistoryEntry e) {
        return "seed " + e.seed() + " · " + e.width() + "×" + e.height() + " · " + e.steps() + " steps"
                + (e.elapsedMillis() > 0 ? String.format(java.util.Locale.ROOT, " · %.1f s", e.elapsedMillis() / 1000.0) : "");
    }

    public void endPreview(String text) {
        previewing.set(false);
        caption.set(text);
    }

    public void clear() {
        image.set(null);
        caption.set("");
        previewing.set(false);
        entry.set(null);
    }

    /** What dropping {@code file} would do. */
    public DropKind inspect(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (!name.matches(".*\\.(png|jpe?g|bmp|gif|webp)$")) {
            return DropKind.UNSUPPORTED;
        }
        return parameters(file).isPresent() ? DropKind.IMAGE_WITH_PARAMETERS : DropKind.IMAGE;
    }

    /**
     * Handles a dropped file: restores its parameters when {@code restoreParameters} and it has
     * some, else makes it the img2img input. Failures become notifications.
     */
    public void drop(Path file, boolean restoreParameters) {
        if (restoreParameters) {
            Optional<String> text = parameters(file);
            if (text.isPresent()) {
                restorer.accept(text.get(), file);
                return;
            }
        }
        useAsInit(file);
    }

    /** Makes the image file the img2img input; a notification says why when it cannot be read. */
    public boolean useAsInit(Path file) {
        try {
            prompt.initImageProperty().set(new InitImage(file, ImageLoading.read(file)));
            return true;
        } catch (IllegalArgumentException e) {
            notes.error("Cannot use this image", e);
            return false;
        }
    }

    private static Optional<String> parameters(Path file) {
        try {
            return file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")
                    ? PngFile.readParameters(file).filter(t -> !t.isBlank()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
