package dev.osmosis.app;

import dev.osmosis.app.engine.DjlImageEngine;
import dev.osmosis.app.engine.ImageEngine;
import dev.osmosis.app.models.EmbeddedModel;
import dev.osmosis.app.models.ModelCatalog;
import dev.osmosis.app.models.ModelSource;
import dev.osmosis.app.prompt.PromptViewModel;
import dev.osmosis.app.services.FxTaskExecutor;
import dev.osmosis.app.services.NotificationCenter;
import dev.osmosis.app.services.StudioPaths;
import dev.osmosis.app.services.TaskExecutor;
import dev.osmosis.app.store.Database;
import dev.osmosis.app.store.HistoryStore;
import dev.osmosis.app.store.ImageArchive;
import dev.osmosis.app.store.SettingsStore;
import dev.osmosis.engine.plugin.PluginRegistry;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The composition root: opens the data folder and database, makes the engine, executor and
 * view-models, and closes them in the right order. Tests build one with their own executor,
 * engine and data folder.
 */
public final class Studio implements AutoCloseable {
    private final StudioPaths paths;
    private final Database database;
    private final TaskExecutor executor;
    private final ImageEngine engine;
    private final StudioViewModel viewModel;

    private Studio(StudioPaths paths, Database database, TaskExecutor executor, ImageEngine engine,
            StudioViewModel viewModel) {
        this.paths = paths;
        this.database = database;
        this.executor = executor;
        this.engine = engine;
        this.viewModel = viewModel;
    }

    /** The real studio: data in {@link StudioPaths#fromSystem()}, the DJL engine, the FX executor. */
    public static Studio openDefault() throws SQLException {
        NotificationCenter early = new NotificationCenter();
        PluginRegistry plugins;
        try {
            plugins = PluginRegistry.discover();
        } catch (RuntimeException | java.util.ServiceConfigurationError e) {
            plugins = new PluginRegistry(List.of());
            early.error("Plugins could not be loaded", e.getMessage());
        }
        return open(StudioPaths.fromSystem(), new FxTaskExecutor(), new DjlImageEngine(plugins), EmbeddedModel.find(),
                early);
    }

    public static Studio open(StudioPaths paths, TaskExecutor executor, ImageEngine engine,
            Optional<ModelSource> embedded, NotificationCenter notes) throws SQLException {
        paths.create();
        Database.Opened opened = Database.openOrReplace(paths.database());
        Database db = opened.database();
        try {
            SettingsStore settings = new SettingsStore(db);
            ImageArchive archive = new ImageArchive(new HistoryStore(db, paths.images()));
            ModelCatalog catalog = new ModelCatalog(settings, embedded);
            StudioViewModel vm = new StudioViewModel(executor, engine, archive, settings, catalog, notes,
                    new PromptViewModel());
            if (opened.movedAside() != null) {
                notes.warning("History database was damaged", "It was moved to " + opened.movedAside()
                        + " and a new one started; the images were put back from their PNG files.");
            }
            return new Studio(paths, db, executor, engine, vm);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public StudioViewModel viewModel() {
        return viewModel;
    }

    public StudioPaths paths() {
        return paths;
    }

    public Database database() {
        return database;
    }

    /** Cancels jobs, saves the form, stops the engine thread, frees the model, closes the database. */
    @Override
    public void close() {
        viewModel.close();
        executor.close();
        engine.close();
        database.close();
    }
}
