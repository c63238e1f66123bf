package dev.osmosis.app.canvas;

import atlantafx.base.theme.Styles;
import dev.osmosis.app.canvas.CanvasViewModel.DropKind;
import dev.osmosis.app.prompt.InitImage;
import dev.osmosis.app.prompt.PromptViewModel;
import dev.osmosis.app.ui.FxImages;
import dev.osmosis.app.ui.Icons;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.material2.Material2AL;
import org.kordamp.ikonli.material2.Material2MZ;

/**
 * The canvas: the current picture scaled to fit (crisp pixels when enlarged), an empty state that
 * says what to do, the img2img input card with its strength slider, and the drop targets shown
 * while a file is dragged over it.
 */
public final class CanvasView extends StackPane {
    private final CanvasViewModel vm;
    private final PromptViewModel prompt;
    private final ImageView view = new ImageView();
    private final HBox dropTargets = new HBox();
    private final Label restoreTarget = dropTarget(Material2AL.HISTORY, "Restore its parameters");
    private final Label initTarget = dropTarget(Material2AL.IMAGE, "Use as img2img input");

    /**
     * @param canKeep true while a live image can be kept (shows the Keep button)
     * @param onKeep saves the live image to the gallery
     */
    public CanvasView(CanvasViewModel vm, PromptViewModel prompt, ObservableBooleanValue canKeep, Runnable onKeep) {
        this.vm = vm;
        this.prompt = prompt;
        setId("canvas");
        getStyleClass().add("canvas-area");
        setMinSize(200, 160);

        view.setPreserveRatio(true);
        view.imageProperty().bind(Bindings.createObjectBinding(() -> FxImages.toFx(vm.imageProperty().get()),
                vm.imageProperty()));
        view.fitWidthProperty().bind(widthProperty().subtract(48));
        view.fitHeightProperty().bind(heightProperty().subtract(72));
        view.setSmooth(true);
        StackPane frame = new StackPane(view);
        frame.getStyleClass().add("canvas-frame");
        frame.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
        frame.visibleProperty().bind(vm.imageProperty().isNotNull());

        VBox empty = emptyState();
        empty.visibleProperty().bind(vm.imageProperty().isNull());

        Label caption = new Label();
        caption.setId("canvas-caption");
        caption.getStyleClass().add("canvas-caption");
        caption.textProperty().bind(vm.captionProperty());
        caption.visibleProperty().bind(vm.captionProperty().isNotEmpty());
        StackPane.setAlignment(caption, Pos.BOTTOM_CENTER);
        StackPane.setMargin(caption, new Insets(0, 0, 14, 0));

        VBox initCard = initCard();
        StackPane.setAlignment(initCard, Pos.TOP_LEFT);
        StackPane.setMargin(initCard, new Insets(12));

        HBox tools = tools(canKeep, onKeep);
        StackPane.setAlignment(tools, Pos.TOP_RIGHT);
        StackPane.setMargin(tools, new Insets(12));

        dropTargets.getStyleClass().add("drop-targets");
        dropTargets.setVisible(false);
        dropTargets.setSpacing(12);
        dropTargets.setPadding(new Insets(16));
        HBox.setHgrow(initTarget, Priority.ALWAYS);
        HBox.setHgrow(restoreTarget, Priority.ALWAYS);

        getChildren().addAll(empty, frame, caption, initCard, tools, dropTargets);
        setOnDragOver(this::dragOver);
        setOnDragExited(e -> dropTargets.setVisible(false));
        setOnDragDropped(this::dragDropped);
    }

    private VBox emptyState() {
        Label icon = new Label(null, Icons.of(Material2AL.BRUSH, 40));
        icon.getStyleClass().add("empty-icon");
        Label title = new Label("Type a prompt and press Ctrl+Enter");
        title.getStyleClass().add(Styles.TITLE_4);
        Label sub = new Label("Drop an image here to start from it (img2img),\nor a PNG from the studio or A1111 to restore its settings.");
        sub.getStyleClass().add(Styles.TEXT_MUTED);
        sub.setWrapText(true);
        sub.setStyle("-fx-text-alignment: center;");
        VBox box = new VBox(10, icon, title, sub);
        box.setAlignment(Pos.CENTER);
        box.setMaxSize(420, 200);
        return box;
    }

    private VBox initCard() {
        ImageView thumb = new ImageView();
        thumb.setFitWidth(56);
        thumb.setFitHeight(56);
        thumb.setPreserveRatio(true);
        thumb.imageProperty().bind(Bindings.createObjectBinding(() -> prompt.initImageProperty().get() == null ? null
                : FxImages.toFx(prompt.initImageProperty().get().image()), prompt.initImageProperty()));
        Label title = new Label("img2img input");
        title.getStyleClass().add(Styles.TEXT_BOLD);
        Label name = new Label();
        name.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        name.textProperty().bind(Bindings.createStringBinding(() -> prompt.initImageProperty().get() == null ? ""
                : prompt.initImageProperty().get().label(), prompt.initImageProperty()));
        name.setMaxWidth(170);
        Button clear = new Button(null, Icons.of(Material2AL.CLOSE));
        clear.setId("clear-init-image");
        clear.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
        clear.setTooltip(new Tooltip("Back to txt2img"));
        clear.setOnAction(e -> prompt.initImageProperty().set(null));
        VBox text = new VBox(2, title, name);
        HBox.setHgrow(text, Priority.ALWAYS);
        HBox head = new HBox(10, thumb, text, clear);
        head.setAlignment(Pos.CENTER_LEFT);

        Slider strength = new Slider(0.01, 1, prompt.strengthProperty().get());
        strength.setId("strength");
        strength.valueProperty().bindBidirectional(prompt.strengthProperty());
        strength.setBlockIncrement(0.05);
        Label value = new Label();
        value.getStyleClass().add("mono");
        value.textProperty().bind(Bindings.createStringBinding(
                () -> String.format(Locale.ROOT, "%.2f", prompt.strengthProperty().get()), prompt.strengthProperty()));
        HBox.setHgrow(strength, Priority.ALWAYS);
        Label label = new Label("Strength");
        label.getStyleClass().add(Styles.TEXT_SMALL);
        HBox row = new HBox(8, label, strength, value);
        row.setAlignment(Pos.CENTER_LEFT);
        Tooltip.install(row, new Tooltip("How much to change the image: 0 keeps it, 1 ignores it"));

        VBox card = new VBox(8, head, row);
        card.setId("init-card");
        card.getStyleClass().add("floating-card");
        card.setPadding(new Insets(10, 12, 10, 12));
        card.setMaxSize(300, Region.USE_PREF_SIZE);
        card.setPrefWidth(300);
        card.visibleProperty().bind(prompt.initImageProperty().isNotNull());
        card.managedProperty().bind(card.visibleProperty());
        return card;
    }

    private HBox tools(ObservableBooleanValue canKeep, Runnable onKeep) {
        Button keep = new Button("Keep", Icons.of(Material2MZ.SAVE));
        keep.setId("keep-live");
        keep.getStyleClass().addAll(Styles.SUCCESS, Styles.SMALL);
        keep.setTooltip(new Tooltip("Save this live image to the gallery"));
        keep.setOnAction(e -> onKeep.run());
        keep.visibleProperty().bind(Bindings.createBooleanBinding(() -> canKeep.get() && vm.entryProperty().get() == null
                && !vm.previewingProperty().get(), canKeep, vm.entryProperty(), vm.previewingProperty()));
        keep.managedProperty().bind(keep.visibleProperty());

        Button asInit = new Button(null, Icons.of(Material2AL.INPUT));
        asInit.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.SMALL, "tool-button");
        asInit.setTooltip(new Tooltip("Use the shown image as img2img input"));
        asInit.disableProperty().bind(vm.entryProperty().isNull());
        asInit.setOnAction(e -> {
            if (vm.entryProperty().get() != null) {
                vm.useAsInit(vm.entryProperty().get().file());
            }
        });
        Button open = new Button(null, Icons.of(Material2AL.ADD_PHOTO_ALTERNATE));
        open.setId("open-init-image");
        open.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.SMALL, "tool-button");
        open.setTooltip(new Tooltip("Open an image as img2img input (or drop one here)"));
        open.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Image to start from");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Images", "*.png", "*.jpg", "*.jpeg", "*.bmp", "*.gif"));
            File f = chooser.showOpenDialog(getScene().getWindow());
            if (f != null) {
                vm.useAsInit(f.toPath());
            }
        });
        HBox box = new HBox(6, keep, asInit, open);
        box.setAlignment(Pos.TOP_RIGHT);
        box.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
        box.setPickOnBounds(false);
        return box;
    }

    private static Label dropTarget(org.kordamp.ikonli.Ikon icon, String text) {
        Label l = new Label(text, Icons.of(icon, 28));
        l.setContentDisplay(javafx.scene.control.ContentDisplay.TOP);
        l.getStyleClass().add("drop-target");
        l.setMaxSize(Double.MAX_VALUE, Double.MAX_VALUE);
        l.setAlignment(Pos.CENTER);
        return l;
    }

    private void dragOver(DragEvent e) {
        List<File> files = e.getDragboard().hasFiles() ? e.getDragboard().getFiles() : List.of();
        if (files.isEmpty()) {
            return;
        }
        DropKind kind = vm.inspect(files.get(0).toPath());
        if (kind == DropKind.UNSUPPORTED) {
            return;
        }
        e.acceptTransferModes(TransferMode.COPY);
        showTargets(kind, e.getX());
        e.consume();
    }

    private void showTargets(DropKind kind, double x) {
        if (kind == DropKind.IMAGE_WITH_PARAMETERS) {
            dropTargets.getChildren().setAll(initTarget, restoreTarget);
        } else {
            dropTargets.getChildren().setAll(initTarget);
        }
        boolean restore = restores(kind, x);
        initTarget.pseudoClassStateChanged(HOT, !restore);
        restoreTarget.pseudoClassStateChanged(HOT, restore);
        dropTargets.setVisible(true);
    }

    private static final javafx.css.PseudoClass HOT = javafx.css.PseudoClass.getPseudoClass("hot");

    /** A PNG with parameters restores them when dropped on the right half, else it is the img2img input. */
    private boolean restores(DropKind kind, double x) {
        return kind == DropKind.IMAGE_WITH_PARAMETERS && x > getWidth() / 2;
    }

    private void dragDropped(DragEvent e) {
        boolean done = false;
        if (e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty()) {
            done = dropFile(e.getDragboard().getFiles().get(0).toPath(), e.getX());
        }
        dropTargets.setVisible(false);
        e.setDropCompleted(done);
        e.consume();
    }

    /** What a drop of {@code file} at {@code x} does (the drag handler's logic, callable from tests). */
    public boolean dropFile(Path file, double x) {
        DropKind kind = vm.inspect(file);
        if (kind == DropKind.UNSUPPORTED) {
            return false;
        }
        vm.drop(file, restores(kind, x));
        return true;
    }

    /** Kept for symmetry with the prompt's init image (tests read it). */
    public InitImage initImage() {
        return prompt.initImageProperty().get();
    }
}
