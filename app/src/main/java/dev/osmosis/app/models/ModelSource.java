package dev.osmosis.app.models;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model the person can pick: a diffusers folder or a single-file .safetensors checkpoint.
 *
 * @param embedded true for the model shipped with the studio (it cannot be removed from the list)
 */
public record ModelSource(String label, Path path, boolean embedded) {

    public static ModelSource of(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path name = abs.getFileName();
        return new ModelSource(name == null ? abs.toString() : name.toString(), abs, false);
    }

    public boolean isFolder() {
        return Files.isDirectory(path);
    }

    public boolean exists() {
        return Files.exists(path);
    }

    @Override
    public String toString() {
        return label;
    }
}
