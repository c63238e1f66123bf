package dev.osmosis.app.plugins;

import atlantafx.base.controls.ToggleSwitch;
import atlantafx.base.theme.Styles;
import dev.osmosis.app.ui.Icons;
import dev.osmosis.engine.plugin.Plugin;
import dev.osmosis.engine.plugin.PluginFamily;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.material2.Material2AL;
import org.kordamp.ikonli.material2.Material2MZ;

/**
 * The plugin panel: one card per plugin the engine found, grouped by family, with an on/off switch
 * and a settings sheet drawn from its declared settings; an explanation when there are none.
 */
public final class PluginPanelView extends ScrollPane {
    public PluginPanelView(PluginPanelViewModel vm) {
        setId("plugins");
        setFitToWidth(true);
        VBox content = new VBox(14);
        content.setPadding(new Insets(14));
        if (vm.isEmpty()) {
            content.getChildren().add(emptyState());
        }
        for (PluginFamily family : PluginFamily.values()) {
            var states = vm.plugins().stream().filter(s -> s.plugin().family() == family).toList();
            if (states.isEmpty()) {
                continue;
            }
            Label title = new Label(family.label() + " · " + family.purpose());
            title.getStyleClass().add("section-title");
            content.getChildren().add(title);
            for (PluginState s : states) {
                content.getChildren().add(card(s));
            }
        }
        setContent(content);
    }

    private VBox emptyState() {
        Label icon = new Label(null, Icons.of(Material2AL.EXTENSION, 32));
        icon.getStyleClass().add("empty-icon");
        Label title = new Label("No plugins found");
        title.getStyleClass().add(Styles.TITLE_4);
        Label text = new Label("The engine looks for plugins on the class path (Java ServiceLoader, "
                + "META-INF/services/dev.osmosis.engine.plugin.Plugin) and found none in this build. "
                + "Accelerators (DeepCache, Faster Diffusion), conditions and membranes appear here as "
                + "switches with their settings once their module is built.");
        text.setWrapText(true);
        text.getStyleClass().add(Styles.TEXT_MUTED);
        VBox box = new VBox(10, icon, title, text);
        box.setId("plugins-empty");
        box.setAlignment(Pos.TOP_CENTER);
        box.setPadding(new Insets(24, 8, 8, 8));
        return box;
    }

    private VBox card(PluginState s) {
        Plugin p = s.plugin();
        Label name = new Label(p.displayName());
        name.getStyleClass().add(Styles.TEXT_BOLD);
        Label id = new Label(p.id());
        id.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL, "mono");
        VBox titles = new VBox(2, name, id);
        HBox.setHgrow(titles, Priority.ALWAYS);
        // AtlantaFX's switch: ControlsFX's draws with Modena colour names the AtlantaFX themes do not define
        ToggleSwitch toggle = new ToggleSwitch();
        toggle.setMinWidth(Region.USE_PREF_SIZE);
        toggle.setId("plugin-" + p.id());
        toggle.selectedProperty().bindBidirectional(s.enabledProperty());
        HBox head = new HBox(10, titles, toggle);
        head.setAlignment(Pos.CENTER_LEFT);

        Label description = new Label(p.description());
        description.setWrapText(true);
        description.getStyleClass().add(Styles.TEXT_MUTED);
        VBox card = new VBox(10, head, description);
        card.getStyleClass().add("plugin-card");
        card.setPadding(new Insets(12));

        if (!p.settings().isEmpty()) {
            SettingsSheet sheet = new SettingsSheet(s);
            sheet.disableProperty().bind(s.enabledProperty().not());
            Label problems = new Label();
            problems.getStyleClass().addAll(Styles.DANGER, Styles.TEXT_SMALL);
            problems.setWrapText(true);
            problems.textProperty().bind(Bindings.createStringBinding(
                    () -> s.problems().values().stream().collect(Collectors.joining("\n")), s.problems()));
            problems.visibleProperty().bind(Bindings.isNotEmpty(s.problems()));
            problems.managedProperty().bind(problems.visibleProperty());
            Button reset = new Button("Defaults", Icons.of(Material2MZ.REPLAY, 14));
            reset.getStyleClass().addAll(Styles.FLAT, Styles.SMALL);
            reset.setOnAction(e -> s.reset());
            reset.disableProperty().bind(s.enabledProperty().not());
            card.getChildren().addAll(sheet, problems, reset);
        }
        return card;
    }
}
