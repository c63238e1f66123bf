package dev.osmosis.app.gallery;

import atlantafx.base.theme.Styles;
import dev.osmosis.app.store.HistoryEntry;
import dev.osmosis.app.prompt.SamplerNames;
import dev.osmosis.app.ui.Icons;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.material2.Material2AL;
import org.kordamp.ikonli.material2.Material2MZ;

/** The selected image's settings, its parameters text, and the actions on it. */
public final class DetailsView extends ScrollPane {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final GalleryActions actions;
    private final VBox content = new VBox(12);

    public DetailsView(GalleryViewModel vm, GalleryActions actions) {
        this.actions = actions;
        setId("details");
        setFitToWidth(true);
        content.setPadding(new Insets(14));
        setContent(content);
        show(vm.selectedProperty().get());
        vm.selectedProperty().addListener((obs, o, n) -> show(n));
    }

    private void show(HistoryEntry e) {
        if (e == null) {
            Label none = new Label("Select an image in the gallery to see how it was made.");
            none.setWrapText(true);
            none.getStyleClass().add(Styles.TEXT_MUTED);
            content.getChildren().setAll(none);
            return;
        }
        Label prompt = new Label(e.prompt().isBlank() ? "(empty prompt)" : e.prompt());
        prompt.setWrapText(true);
        prompt.getStyleClass().add(Styles.TEXT_BOLD);
        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(6);
        int row = 0;
        row = put(grid, row, "Negative", e.negativePrompt().isBlank() ? "—" : e.negativePrompt());
        row = put(grid, row, "Model", e.model() == null ? "—" : e.model());
        row = put(grid, row, "Sampler", SamplerNames.label(e.sampler()) + " · " + e.steps() + " steps");
        row = put(grid, row, "CFG scale", String.format(Locale.ROOT, "%s", e.cfgScale()));
        row = put(grid, row, "Seed", Long.toString(e.seed()));
        row = put(grid, row, "Size", e.width() + " × " + e.height()
                + (e.batchSize() > 1 ? "  (image " + (e.batchIndex() + 1) + " of " + e.batchSize() + ")" : ""));
        if (e.isImg2Img()) {
            row = put(grid, row, "img2img", "strength " + e.strength());
        }
        if (e.clipSkip() > 1) {
            row = put(grid, row, "Clip skip", Integer.toString(e.clipSkip()));
        }
        if (!e.plugins().isBlank()) {
            row = put(grid, row, "Plugins", e.plugins());
        }
        if (e.elapsedMillis() > 0) {
            row = put(grid, row, "Time", String.format(Locale.ROOT, "%.2f s", e.elapsedMillis() / 1000.0));
        }
        row = put(grid, row, "Created", WHEN.format(e.createdAt()));
        put(grid, row, "File", e.file().toString());

        Button send = new Button("Send to prompt", Icons.of(Material2MZ.SEND));
        send.setId("details-send-to-prompt");
        send.getStyleClass().add(Styles.ACCENT);
        send.setOnAction(a -> actions.sendToPrompt(e));
        Button init = new Button("Use as img2img", Icons.of(Material2AL.INPUT));
        init.setOnAction(a -> actions.useAsInitImage(e));
        Button copy = new Button("Copy", Icons.of(Material2AL.CONTENT_COPY));
        copy.setOnAction(a -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(e.parameters());
            Clipboard.getSystemClipboard().setContent(c);
        });
        FlowPane buttons = new FlowPane(8, 8, send, init, copy);

        TextArea parameters = new TextArea(e.parameters());
        parameters.setEditable(false);
        parameters.setWrapText(true);
        parameters.setPrefRowCount(6);
        parameters.getStyleClass().add("parameters-text");
        VBox.setVgrow(parameters, Priority.ALWAYS);
        Label pLabel = new Label("Parameters (as written in the PNG)");
        pLabel.getStyleClass().add("field-label");
        content.getChildren().setAll(prompt, grid, buttons, pLabel, parameters);
    }

    private static int put(GridPane grid, int row, String key, String value) {
        Label k = new Label(key);
        k.getStyleClass().add("field-label");
        k.setMinWidth(Label.USE_PREF_SIZE);
        Label v = new Label(value);
        v.setWrapText(true);
        grid.addRow(row, k, v);
        return row + 1;
    }
}
