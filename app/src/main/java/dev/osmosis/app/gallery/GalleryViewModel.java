package dev.osmosis.app.gallery;

import dev.osmosis.app.services.NotificationCenter;
import dev.osmosis.app.store.HistoryEntry;
import dev.osmosis.app.store.ImageArchive;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The gallery: the history's images, newest first, filtered by the search text (prompt, negative,
 * model, sampler, or an exact seed), the selection, and what can be done with images besides
 * generating: delete and export. "Send to prompt" and "use as img2img" cross areas and live in
 * the main view-model.
 */
public final class GalleryViewModel {
    /** Most images the grid holds at once; older ones are found by searching. */
    public static final int LIMIT = 2000;

    private final ImageArchive archive;
    private final NotificationCenter notes;
    private final ObservableList<HistoryEntry> items = FXCollections.observableArrayList();
    private final ObjectProperty<HistoryEntry> selected = new SimpleObjectProperty<>();
    private final StringProperty search = new SimpleStringProperty("");
    private final IntegerProperty total = new SimpleIntegerProperty();

    public GalleryViewModel(ImageArchive archive, NotificationCenter notes) {
        this.archive = archive;
        this.notes = notes;
        search.addListener((obs, old, now) -> reload());
    }

    public ObservableList<HistoryEntry> items() {
        return items;
    }

    public ObjectProperty<HistoryEntry> selectedProperty() {
        return selected;
    }

    public StringProperty searchProperty() {
        return search;
    }

    /** Images in the whole history (not only those shown). */
    public IntegerProperty totalProperty() {
        return total;
    }

    public void reload() {
        try {
            HistoryEntry keep = selected.get();
            items.setAll(archive.history().list(search.get(), LIMIT));
            total.set(archive.history().count());
            selected.set(keep != null && items.contains(keep) ? keep : null);
        } catch (RuntimeException e) {
            notes.error("Cannot read the history", e);
        }
    }

    /** New images from a job: shown first (when the search lets them through). */
    public void added(List<HistoryEntry> entries) {
        if (search.get() == null || search.get().isBlank()) {
            items.addAll(0, entries); // a batch keeps its order: image 0 first
            if (items.size() > LIMIT) {
                items.remove(LIMIT, items.size());
            }
            total.set(total.get() + entries.size());
        } else {
            reload();
        }
    }

    /** Deletes the images (rows and files); a notification for any that fails, the others still go. */
    public int delete(List<HistoryEntry> entries) {
        int done = 0;
        for (HistoryEntry e : List.copyOf(entries)) {
            try {
                archive.delete(e);
                items.remove(e);
                total.set(Math.max(0, total.get() - 1));
                if (e.equals(selected.get())) {
                    selected.set(null);
                }
                done++;
            } catch (IOException | RuntimeException ex) {
                notes.error("Cannot delete " + e.file().getFileName(), ex);
            }
        }
        return done;
    }

    /** Copies the PNGs (parameters included) into {@code dir}; returns the files written, empty on failure. */
    public List<Path> export(List<HistoryEntry> entries, Path dir) {
        try {
            List<Path> out = archive.export(entries, dir);
            notes.info("Exported", out.size() + " file(s) to " + dir);
            return out;
        } catch (IOException | RuntimeException e) {
            notes.error("Export failed", e);
            return List.of();
        }
    }
}
