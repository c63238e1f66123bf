package dev.osmosis.engine.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the model that ships with Osmosis ({@code resources/models/<name>} at the root of the
 * installation), used when no model is named. The root is the system property {@code osmosis.home}
 * (the launcher sets it), else the working directory or the nearest parent holding
 * {@code resources/models}. Nothing is downloaded.
 */
public final class EmbeddedModel {
    /** The text-to-image model trained by {@code ./osmosis train shapes}. */
    public static final String DEFAULT_NAME = "osmosis-shapes";
    public static final String HOME_PROPERTY = "osmosis.home";

    private EmbeddedModel() {}

    /** The installation root: osmosis.home, else the working directory's nearest ancestor with resources/models. */
    public static Path home() {
        String property = System.getProperty(HOME_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath();
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("resources/models"))) {
                return p;
            }
        }
        return cwd;
    }

    /** The folder of the named embedded model, when it is there. */
    public static Optional<Path> locate(String name) {
        Path dir = home().resolve("resources/models").resolve(name);
        return Files.isRegularFile(dir.resolve("model_index.json")) ? Optional.of(dir) : Optional.empty();
    }

    /** The default model's folder, or an error that says where it was looked for. */
    public static Path require() {
        return locate(DEFAULT_NAME).orElseThrow(() -> new IllegalArgumentException("no --model given and the embedded"
                + " model is not at " + home().resolve("resources/models").resolve(DEFAULT_NAME) + " (set -D"
                + HOME_PROPERTY + "=<Osmosis folder>, or train it: ./osmosis train shapes)"));
    }
}
