package dev.osmosis.app.plugins;

import atlantafx.base.theme.Styles;
import dev.osmosis.app.ui.Icons;
import java.io.File;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.FileChooser;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.PropertyEditor;
import org.kordamp.ikonli.material2.Material2AL;

/** A FILE setting: the path as text plus a chooser button. */
final class FileSettingEditor implements PropertyEditor<String> {
    private final TextField field = new TextField();
    private final HBox box;

    FileSettingEditor(PropertySheet.Item item) {
        Button browse = new Button(null, Icons.of(Material2AL.FOLDER_OPEN, 14));
        browse.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.SMALL);
        browse.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(item.getName());
            File f = chooser.showOpenDialog(field.getScene().getWindow());
            if (f != null) {
                field.setText(f.getAbsolutePath());
                item.setValue(f.getAbsolutePath());
            }
        });
        field.setText(item.getValue() == null ? "" : item.getValue().toString());
        field.setOnAction(e -> item.setValue(field.getText()));
        field.focusedProperty().addListener((obs, was, is) -> {
            if (!is) {
                item.setValue(field.getText());
            }
        });
        HBox.setHgrow(field, Priority.ALWAYS);
        box = new HBox(4, field, browse);
    }

    @Override
    public javafx.scene.Node getEditor() {
        return box;
    }

    @Override
    public String getValue() {
        return field.getText();
    }

    @Override
    public void setValue(String value) {
        field.setText(value == null ? "" : value);
    }
}
