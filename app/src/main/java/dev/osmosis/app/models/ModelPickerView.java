package dev.osmosis.app.models;

import atlantafx.base.theme.Styles;
import dev.osmosis.app.engine.ModelInfo;
import dev.osmosis.app.ui.Icons;
import java.io.File;
import java.nio.file.Path;
import java.util.function.Predicate;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.material2.Material2AL;

/** The model picker: the catalog's models, add a folder or a .safetensors file, remove, and what is loaded. */
public final class ModelPickerView extends HBox {
    public ModelPickerView(ModelCatalog catalog, ObservableValue<ModelInfo> loaded, Predicate<Path> add) {
        setId("model-picker");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(6);
        ComboBox<ModelSource> combo = new ComboBox<>(catalog.models());
        combo.setId("model");
        combo.setPrefWidth(260);
        combo.valueProperty().bindBidirectional(catalog.selectedProperty());
        combo.setCellFactory(l -> new ModelCell(true));
        combo.setButtonCell(new ModelCell(false));
        combo.setPromptText("No model: add one");

        MenuButton more = new MenuButton(null, Icons.of(Material2AL.ADD));
        more.setId("model-add");
        more.getStyleClass().addAll(Styles.BUTTON_ICON);
        more.setTooltip(new Tooltip("Add a model (remembered)"));
        MenuItem folder = new MenuItem("Add diffusers folder…", Icons.of(Material2AL.FOLDER_OPEN));
        folder.setOnAction(e -> {
            DirectoryChooser c = new DirectoryChooser();
            c.setTitle("Diffusers model folder (model_index.json, unet/, vae/, …)");
            File dir = c.showDialog(getScene().getWindow());
            if (dir != null) {
                add.test(dir.toPath());
            }
        });
        MenuItem file = new MenuItem("Add .safetensors checkpoint…", Icons.of(Material2AL.INSERT_DRIVE_FILE));
        file.setOnAction(e -> {
            FileChooser c = new FileChooser();
            c.setTitle("Single-file SD1/SD2 checkpoint");
            c.getExtensionFilters().add(new FileChooser.ExtensionFilter("safetensors checkpoint", "*.safetensors"));
            File f = c.showOpenDialog(getScene().getWindow());
            if (f != null) {
                add.test(f.toPath());
            }
        });
        MenuItem remove = new MenuItem("Remove from list", Icons.of(Material2AL.DELETE));
        remove.disableProperty().bind(Bindings.createBooleanBinding(() -> catalog.selected() == null
                || catalog.selected().embedded(), catalog.selectedProperty()));
        remove.setOnAction(e -> catalog.remove(catalog.selected()));
        more.getItems().addAll(folder, file, new SeparatorMenuItem(), remove);

        Label info = new Label();
        info.setId("model-info");
        info.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL, "model-info");
        info.textProperty().bind(Bindings.createStringBinding(() -> {
            ModelInfo m = loaded.getValue();
            return m == null ? "" : m.nativeResolution() + " px · " + m.device();
        }, loaded));
        getChildren().addAll(Icons.of(Material2AL.LAYERS, 18), combo, more, info);
    }

    private static final class ModelCell extends ListCell<ModelSource> {
        private final boolean detailed;

        ModelCell(boolean detailed) {
            this.detailed = detailed;
        }

        @Override
        protected void updateItem(ModelSource m, boolean empty) {
            super.updateItem(m, empty);
            if (empty || m == null) {
                setText(null);
                setGraphic(null);
                setTooltip(null);
                return;
            }
            if (detailed) {
                Label name = new Label(m.label());
                Label path = new Label(m.embedded() ? "ships with Osmosis" : m.path().toString());
                path.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
                setGraphic(new VBox(1, name, path));
                setText(null);
            } else {
                setText(m.label());
                setGraphic(null);
            }
            setTooltip(new Tooltip(m.path().toString()));
        }
    }
}
