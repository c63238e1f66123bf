package dev.osmosis.app.models;

import java.util.Optional;

/**
 * The model shipped with Osmosis, the studio's default: the engine's
 * {@link dev.osmosis.engine.model.EmbeddedModel} under {@code resources/models/} of the installation
 * ({@code -Dosmosis.home}, which the launcher sets, else the working directory or its parents).
 */
public final class EmbeddedModel {
    private EmbeddedModel() {}

    public static Optional<ModelSource> find() {
        return dev.osmosis.engine.model.EmbeddedModel.locate(dev.osmosis.engine.model.EmbeddedModel.DEFAULT_NAME)
                .map(p -> new ModelSource("Osmosis shapes (embedded)", p.toAbsolutePath().normalize(), true));
    }
}
