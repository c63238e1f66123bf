package dev.osmosis.app.plugins;

import dev.osmosis.engine.plugin.SettingSpec;
import javafx.geometry.HPos;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.controlsfx.property.editor.DefaultPropertyEditorFactory;
import org.controlsfx.property.editor.Editors;
import org.controlsfx.property.editor.PropertyEditor;

/**
 * A plugin's settings drawn from its declared {@link SettingSpec}s: one row per setting with its
 * label and a ControlsFX property editor chosen by type (number field, check box, choice box,
 * text, file chooser); the description and allowed range in the tooltip. Laid out in two columns
 * that fit the side panel, where ControlsFX's PropertySheet would cut the labels short.
 */
final class SettingsSheet extends GridPane {
    private static final DefaultPropertyEditorFactory DEFAULTS = new DefaultPropertyEditorFactory();

    SettingsSheet(PluginState state) {
        getStyleClass().add("settings-sheet");
        setHgap(10);
        setVgap(6);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints editors = new ColumnConstraints();
        editors.setHgrow(Priority.ALWAYS);
        editors.setFillWidth(true);
        getColumnConstraints().addAll(labels, editors);
        int row = 0;
        for (SettingSpec spec : state.plugin().settings()) {
            SettingItem item = new SettingItem(state, spec);
            PropertyEditor<?> editor = editor(item);
            setValue(editor, item.getValue());
            item.getObservableValue().ifPresent(v -> v.addListener((obs, o, n) -> setValue(editor, n)));
            Node control = editor.getEditor();
            control.setId("setting-" + state.plugin().id() + "-" + spec.key());
            if (control instanceof Region r) {
                r.setMaxWidth(Double.MAX_VALUE);
            }
            Label label = new Label(spec.label());
            label.getStyleClass().add("field-label");
            Tooltip tip = new Tooltip(item.getDescription());
            tip.setWrapText(true);
            tip.setMaxWidth(340);
            label.setTooltip(tip);
            if (control instanceof Control c) {
                c.setTooltip(tip);
            }
            add(label, 0, row);
            add(control, 1, row);
            setHalignment(label, HPos.LEFT);
            setValignment(label, VPos.CENTER);
            row++;
        }
    }

    @SuppressWarnings("unchecked")
    private static void setValue(PropertyEditor<?> editor, Object value) {
        try {
            ((PropertyEditor<Object>) editor).setValue(value);
        } catch (ClassCastException e) {
            // an editor of another type than the value (a mistyped default): leave it as it is
        }
    }

    private static PropertyEditor<?> editor(SettingItem item) {
        return switch (item.spec().type()) {
            case CHOICE -> Editors.createChoiceEditor(item, item.spec().choices());
            case FILE -> new FileSettingEditor(item);
            case BOOLEAN -> Editors.createCheckEditor(item);
            case INTEGER, DECIMAL -> Editors.createNumericEditor(item);
            default -> DEFAULTS.call(item);
        };
    }

}
