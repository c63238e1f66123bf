package dev.osmosis.app.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the model shipped with Osmosis, the studio's default. Asks the engine's locator
 * ({@code dev.osmosis.engine.model.EmbeddedModel}) when the engine has one, else looks for a
 * diffusers folder under {@code resources/models/} of the installation ({@code -Dosmosis.home},
 * which the launcher sets) or of the working directory.
 */
public final class EmbeddedModel {
    static final String LOCATOR = "dev.osmosis.engine.model.EmbeddedModel";

    private EmbeddedModel() {}

    public static Optional<ModelSource> find() {
        Optional<Path> path = fromEngine().or(EmbeddedModel::fromResources);
        return path.map(p -> new ModelSource("Osmosis shapes (embedded)", p.toAbsolutePath().normalize(), true));
    }

    /**
     * The engine's locator ({@code EmbeddedModel.locate(EmbeddedModel.DEFAULT_NAME)}), called through
     * reflection so the studio builds against an engine with or without it.
     */
    static Optional<Path> fromEngine() {
        try {
            Class<?> locator = Class.forName(LOCATOR);
            Object name = locator.getField("DEFAULT_NAME").get(null);
            Object found = locator.getMethod("locate", String.class).invoke(null, name);
            if (found instanceof Optional<?> o && o.orElse(null) instanceof Path p && isModelFolder(p)) {
                return Optional.of(p);
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // no locator in this engine, or it failed: look in resources/ ourselves
        }
        return Optional.empty();
    }

    static boolean isModelFolder(Path p) {
        return Files.isRegularFile(p.resolve("model_index.json"));
    }

    static Optional<Path> fromResources() {
        String home = System.getProperty("osmosis.home");
        List<Path> roots = home == null ? List.of(Path.of("resources", "models"))
                : List.of(Path.of(home, "resources", "models"), Path.of("resources", "models"));
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> dirs = Files.list(root)) {
                Optional<Path> found = dirs.filter(EmbeddedModel::isModelFolder)
                        .min(Comparator.naturalOrder());
                if (found.isPresent()) {
                    return found;
                }
            } catch (java.io.IOException e) {
                // unreadable: no embedded model there
            }
        }
        return Optional.empty();
    }
}
