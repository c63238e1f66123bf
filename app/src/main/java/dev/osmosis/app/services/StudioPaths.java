package dev.osmosis.app.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the studio keeps its data: {@code ~/.osmosis-studio} unless the system property
 * {@value #HOME_PROPERTY} or the environment variable {@code OSMOSIS_STUDIO_HOME} says otherwise.
 * Holds {@code images/} (the PNG files) and {@code studio.db} (history, settings).
 */
public record StudioPaths(Path home) {
    public static final String HOME_PROPERTY = "osmosis.studio.home";

    public static StudioPaths fromSystem() {
        String prop = System.getProperty(HOME_PROPERTY);
        String env = System.getenv("OSMOSIS_STUDIO_HOME");
        Path home = prop != null && !prop.isBlank() ? Path.of(prop)
                : env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".osmosis-studio");
        return new StudioPaths(home.toAbsolutePath());
    }

    public Path images() {
        return home.resolve("images");
    }

    public Path database() {
        return home.resolve("studio.db");
    }

    /** Creates the folders; a clear error when the home cannot be written. */
    public StudioPaths create() {
        try {
            Files.createDirectories(images());
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException(home + ": cannot create the studio's data folder ("
                    + e.getMessage() + ")", e));
        }
    }
}
