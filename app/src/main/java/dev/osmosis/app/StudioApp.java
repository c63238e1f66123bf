package dev.osmosis.app;

import java.util.concurrent.Callable;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.stage.Stage;

/** The JavaFX application: opens a {@link Studio}, shows its {@link MainWindow}, closes it on exit. */
public class StudioApp extends Application {
    private final Callable<Studio> factory;
    private Studio studio;
    private MainWindow window;

    public StudioApp() {
        this(Studio::openDefault);
    }

    /** @param factory makes the studio (tests pass one with their own data folder and executor) */
    public StudioApp(Callable<Studio> factory) {
        this.factory = factory;
    }

    @Override
    public void start(Stage stage) {
        try {
            studio = factory.call();
        } catch (Exception e) {
            Alert alert = new Alert(Alert.AlertType.ERROR, dev.osmosis.app.services.ErrorMessages.describe(e));
            alert.setHeaderText("Osmosis Studio cannot start");
            alert.showAndWait();
            Platform.exit();
            return;
        }
        window = new MainWindow(stage, studio.viewModel());
        stage.show();
        for (String model : modelArguments(getParameters() == null ? java.util.List.of() : getParameters().getRaw())) {
            studio.viewModel().addModel(java.nio.file.Path.of(model));
        }
        studio.viewModel().start();
    }

    /** {@code --model PATH} (or {@code --model=PATH}), repeatable: models to add to the list and select. */
    static java.util.List<String> modelArguments(java.util.List<String> args) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--model") && i + 1 < args.size()) {
                out.add(args.get(++i));
            } else if (a.startsWith("--model=")) {
                out.add(a.substring("--model=".length()));
            }
        }
        return out;
    }

    public Studio studio() {
        return studio;
    }

    public MainWindow window() {
        return window;
    }

    @Override
    public void stop() {
        if (window != null) {
            window.dispose();
        }
        if (studio != null) {
            studio.close();
        }
    }
}
