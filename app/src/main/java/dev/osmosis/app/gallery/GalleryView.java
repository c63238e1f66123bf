package dev.osmosis.app.gallery;

import atlantafx.base.controls.CustomTextField;
import atlantafx.base.theme.Styles;
import dev.osmosis.app.store.HistoryEntry;
import dev.osmosis.app.ui.Icons;
import java.io.File;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;
import org.kordamp.ikonli.material2.Material2AL;
import org.kordamp.ikonli.material2.Material2MZ;

/**
 * The gallery strip under the canvas: a virtualised grid of thumbnails (ControlsFX GridView),
 * a search box, export and delete. Click shows an image on the canvas, double-click sends its
 * parameters to the prompt; the context menu has every action.
 */
public final class GalleryView extends VBox {
    private static final int THUMB = 112;
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");

    private final GalleryViewModel vm;
    private final GalleryActions actions;
    private final Thumbnails thumbnails = new Thumbnails(THUMB * 2);
    private final GridView<HistoryEntry> grid;

    public GalleryView(GalleryViewModel vm, GalleryActions actions) {
        this.vm = vm;
        this.actions = actions;
        setId("gallery");
        getStyleClass().add("gallery");

        grid = new GridView<>(vm.items());
        grid.setId("gallery-grid");
        grid.setCellWidth(THUMB);
        grid.setCellHeight(THUMB);
        grid.setHorizontalCellSpacing(6);
        grid.setVerticalCellSpacing(6);
        grid.setCellFactory(g -> new Cell());
        grid.setFocusTraversable(true);
        grid.setOnKeyPressed(e -> {
            if ((e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE) && vm.selectedProperty().get() != null) {
                confirmDelete(List.of(vm.selectedProperty().get()));
            }
        });
        VBox.setVgrow(grid, Priority.ALWAYS);

        Label empty = new Label("Your images will appear here. Every image is saved as a PNG with its settings.");
        empty.getStyleClass().add(Styles.TEXT_MUTED);
        StackPane body = new StackPane(grid, empty);
        empty.visibleProperty().bind(Bindings.isEmpty(vm.items()));
        VBox.setVgrow(body, Priority.ALWAYS);

        getChildren().addAll(header(), body);
        vm.selectedProperty().addListener((obs, o, n) -> grid.lookupAll(".gallery-cell").forEach(node -> {
            if (node instanceof Cell c) {
                c.pseudoClassStateChanged(SELECTED, c.getItem() != null && c.getItem().equals(n));
            }
        }));
    }

    private HBox header() {
        Label title = new Label("Gallery");
        title.getStyleClass().add("section-title");
        Label count = new Label();
        count.setId("gallery-count");
        count.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        count.textProperty().bind(Bindings.createStringBinding(() -> vm.searchProperty().get().isBlank()
                ? images(vm.totalProperty().get())
                : vm.items().size() + " of " + vm.totalProperty().get(), vm.totalProperty(), vm.items(), vm.searchProperty()));

        CustomTextField search = new CustomTextField();
        search.setLeft(Icons.of(Material2MZ.SEARCH));
        search.setId("gallery-search");
        search.setPromptText("Search prompt, model, seed…");
        search.textProperty().bindBidirectional(vm.searchProperty());
        search.setPrefWidth(240);
        HBox searchBox = new HBox(search);

        Button export = new Button(null, Icons.of(Material2AL.GET_APP));
        export.setId("gallery-export");
        export.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        export.setTooltip(new Tooltip("Export the selected image, or all shown when none is selected, to a folder"));
        export.disableProperty().bind(Bindings.isEmpty(vm.items()));
        export.setOnAction(e -> exportTo(vm.selectedProperty().get() != null
                ? List.of(vm.selectedProperty().get()) : List.copyOf(vm.items())));

        Button delete = new Button(null, Icons.of(Material2AL.DELETE));
        delete.setId("gallery-delete");
        delete.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.DANGER);
        delete.setTooltip(new Tooltip("Delete the selected image (Delete)"));
        delete.disableProperty().bind(vm.selectedProperty().isNull());
        delete.setOnAction(e -> confirmDelete(List.of(vm.selectedProperty().get())));

        HBox box = new HBox(8, title, count, dev.osmosis.app.ui.Controls.hgrow(), searchBox, export, delete);
        box.setAlignment(Pos.CENTER_LEFT);
        box.setPadding(new Insets(8, 12, 8, 12));
        return box;
    }

    private static String images(int n) {
        return n == 1 ? "1 image" : n + " images";
    }

    private void exportTo(List<HistoryEntry> entries) {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Export " + entries.size() + " image(s) to");
        File dir = chooser.showDialog(getScene().getWindow());
        if (dir != null) {
            vm.export(entries, dir.toPath());
        }
    }

    private void confirmDelete(List<HistoryEntry> entries) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION,
                "The PNG file and its history entry are removed. This cannot be undone.", ButtonType.CANCEL, ButtonType.OK);
        alert.setHeaderText("Delete " + (entries.size() == 1 ? "this image" : entries.size() + " images") + "?");
        alert.initOwner(getScene().getWindow());
        alert.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> {
            entries.forEach(e -> thumbnails.forget(e.file()));
            vm.delete(entries);
        });
    }

    private ContextMenu menu(HistoryEntry e) {
        MenuItem show = new MenuItem("Show on canvas", Icons.of(Material2AL.IMAGE));
        show.setOnAction(a -> actions.show(e));
        MenuItem send = new MenuItem("Send to prompt", Icons.of(Material2MZ.SEND));
        send.setOnAction(a -> actions.sendToPrompt(e));
        MenuItem init = new MenuItem("Use as img2img input", Icons.of(Material2AL.INPUT));
        init.setOnAction(a -> actions.useAsInitImage(e));
        MenuItem copy = new MenuItem("Copy parameters", Icons.of(Material2AL.CONTENT_COPY));
        copy.setOnAction(a -> copy(e.parameters()));
        MenuItem path = new MenuItem("Copy file path", Icons.of(Material2AL.FOLDER));
        path.setOnAction(a -> copy(e.file().toString()));
        MenuItem export = new MenuItem("Export…", Icons.of(Material2AL.GET_APP));
        export.setOnAction(a -> exportTo(List.of(e)));
        MenuItem delete = new MenuItem("Delete…", Icons.of(Material2AL.DELETE));
        delete.setOnAction(a -> confirmDelete(List.of(e)));
        return new ContextMenu(show, send, init, new SeparatorMenuItem(), copy, path, export, new SeparatorMenuItem(), delete);
    }

    private static void copy(String text) {
        ClipboardContent c = new ClipboardContent();
        c.putString(text);
        Clipboard.getSystemClipboard().setContent(c);
    }

    private final class Cell extends GridCell<HistoryEntry> {
        private final ImageView image = new ImageView();

        Cell() {
            getStyleClass().add("gallery-cell");
            image.setFitWidth(THUMB - 8);
            image.setFitHeight(THUMB - 8);
            image.setPreserveRatio(true);
            setOnMouseClicked(e -> {
                HistoryEntry item = getItem();
                if (item == null || e.getButton() != MouseButton.PRIMARY) {
                    return;
                }
                grid.requestFocus();
                vm.selectedProperty().set(item);
                if (e.getClickCount() >= 2) {
                    actions.sendToPrompt(item);
                } else {
                    actions.show(item);
                }
            });
        }

        @Override
        protected void updateItem(HistoryEntry item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                setTooltip(null);
                setContextMenu(null);
                pseudoClassStateChanged(SELECTED, false);
                return;
            }
            image.setImage(thumbnails.get(item.file()));
            StackPane box = new StackPane(image);
            box.setAlignment(Pos.CENTER);
            setGraphic(box);
            Tooltip t = new Tooltip(item.prompt() + "\n" + dev.osmosis.app.canvas.CanvasViewModel.caption(item));
            t.setWrapText(true);
            t.setMaxWidth(360);
            setTooltip(t);
            setContextMenu(menu(item));
            pseudoClassStateChanged(SELECTED, item.equals(vm.selectedProperty().get()));
        }
    }
}
