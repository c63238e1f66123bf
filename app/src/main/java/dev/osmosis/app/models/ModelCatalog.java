package dev.osmosis.app.models;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.osmosis.app.store.SettingsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The model picker's list: the embedded model (when shipped) and the folders and files the person
 * added, remembered in the settings, plus the selection (also remembered).
 */
public final class ModelCatalog {
    static final String MODELS_KEY = "models";
    static final String SELECTED_KEY = "model.selected";

    private final SettingsStore settings;
    private final ObservableList<ModelSource> models = FXCollections.observableArrayList();
    private final ObjectProperty<ModelSource> selected = new SimpleObjectProperty<>();

    public ModelCatalog(SettingsStore settings, Optional<ModelSource> embedded) {
        this.settings = settings;
        embedded.ifPresent(models::add);
        for (String p : settings.getJson(MODELS_KEY, new TypeReference<List<String>>() {}).orElse(List.of())) {
            ModelSource s = ModelSource.of(Path.of(p));
            if (find(s.path()).isEmpty()) {
                models.add(s);
            }
        }
        String last = settings.get(SELECTED_KEY).orElse(null);
        selected.set(models.stream().filter(m -> m.path().toString().equals(last)).findFirst()
                .orElse(models.isEmpty() ? null : models.get(0)));
        selected.addListener((obs, old, now) -> {
            if (now != null) {
                settings.put(SELECTED_KEY, now.path().toString());
            }
        });
    }

    public ObservableList<ModelSource> models() {
        return models;
    }

    public ObjectProperty<ModelSource> selectedProperty() {
        return selected;
    }

    public ModelSource selected() {
        return selected.get();
    }

    /**
     * Adds a diffusers folder or a .safetensors file (or returns the entry already there) and selects
     * it. Refuses what can never load, with the reason; whether the weights are good is for loading to say.
     */
    public ModelSource add(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new IllegalArgumentException(abs + ": not found");
        }
        String name = abs.getFileName() == null ? "" : abs.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(abs)) {
            if (name.endsWith(".ckpt") || name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".bin")) {
                throw new IllegalArgumentException(abs + ": pickle checkpoints can run code when loaded and are"
                        + " refused; convert it to .safetensors first");
            }
            if (!name.endsWith(".safetensors")) {
                throw new IllegalArgumentException(abs + ": expected a .safetensors checkpoint or a diffusers folder");
            }
        }
        ModelSource source = find(abs).orElseGet(() -> {
            ModelSource s = ModelSource.of(abs);
            models.add(s);
            save();
            return s;
        });
        selected.set(source);
        return source;
    }

    /** Removes an added model from the list (the embedded one stays). */
    public void remove(ModelSource source) {
        if (source.embedded()) {
            throw new IllegalArgumentException("the embedded model cannot be removed");
        }
        models.remove(source);
        save();
        if (source.equals(selected.get())) {
            selected.set(models.isEmpty() ? null : models.get(0));
        }
    }

    /** The entry whose path or label is {@code nameOrPath} (as PNG parameters name models). */
    public Optional<ModelSource> byName(String nameOrPath) {
        if (nameOrPath == null) {
            return Optional.empty();
        }
        return models.stream().filter(m -> m.label().equals(nameOrPath) || m.path().toString().equals(nameOrPath)
                || (m.path().getFileName() != null && stripExtension(m.path().getFileName().toString()).equals(nameOrPath)))
                .findFirst();
    }

    private Optional<ModelSource> find(Path path) {
        return models.stream().filter(m -> m.path().equals(path)).findFirst();
    }

    private void save() {
        List<String> added = new ArrayList<>();
        for (ModelSource m : models) {
            if (!m.embedded()) {
                added.add(m.path().toString());
            }
        }
        settings.putJson(MODELS_KEY, added);
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
