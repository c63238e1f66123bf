package dev.osmosis.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import atlantafx.base.theme.Styles;
import dev.osmosis.app.canvas.CanvasView;
import dev.osmosis.app.gallery.DetailsView;
import dev.osmosis.app.gallery.GalleryActions;
import dev.osmosis.app.gallery.GalleryView;
import dev.osmosis.app.models.ModelPickerView;
import dev.osmosis.app.plugins.PluginPanelView;
import dev.osmosis.app.prompt.PromptView;
import dev.osmosis.app.queue.QueueView;
import dev.osmosis.app.services.NotificationCenter.Notice;
import dev.osmosis.app.status.StatusBarView;
import dev.osmosis.app.store.HistoryEntry;
import dev.osmosis.app.ui.Controls;
import dev.osmosis.app.ui.Icons;
import javafx.application.Application;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;
import org.kordamp.ikonli.material2.Material2AL;
import org.kordamp.ikonli.material2.Material2MZ;

/**
 * The window: header (model picker, live mode, theme), prompt column, canvas over gallery, the
 * queue / plugins / details tabs, status bar; Ctrl+Enter generates and Esc cancels from anywhere;
 * notices appear as toasts.
 */
public final class MainWindow {
    private static final String STYLESHEET = MainWindow.class.getResource("studio.css").toExternalForm();
    private final Stage stage;
    private final StudioViewModel vm;
    private final PromptView promptView;
    private final CanvasView canvasView;
    private final StatusBarView statusBar;

    public MainWindow(Stage stage, StudioViewModel vm) {
        this.stage = stage;
        this.vm = vm;
        GalleryActions actions = new GalleryActions() {
            @Override
            public void show(HistoryEntry entry) {
                vm.canvas().showEntry(entry);
            }

            @Override
            public void sendToPrompt(HistoryEntry entry) {
                vm.sendToPrompt(entry);
            }

            @Override
            public void useAsInitImage(HistoryEntry entry) {
                vm.useAsInitImage(entry);
            }
        };
        var running = vm.queue().runningProperty().isNotNull();
        promptView = new PromptView(vm.prompt(), running, vm::generate, vm::cancel);
        promptView.setPrefWidth(380);
        promptView.setMinWidth(320);
        canvasView = new CanvasView(vm.canvas(), vm.prompt(), vm.liveProperty(), vm::keepLive);
        GalleryView gallery = new GalleryView(vm.gallery(), actions);
        SplitPane center = new SplitPane(canvasView, gallery);
        center.setOrientation(Orientation.VERTICAL);
        center.setDividerPositions(0.68);
        center.getStyleClass().add("center-split");

        Tab queueTab = tab("Queue", Material2MZ.QUEUE, new QueueView(vm.queue()));
        queueTab.textProperty().bind(Bindings.createStringBinding(() -> {
            int n = vm.queue().pending().size() + (vm.queue().running() == null ? 0 : 1);
            return n == 0 ? "Queue" : "Queue · " + n;
        }, vm.queue().pending(), vm.queue().runningProperty()));
        Tab pluginsTab = tab("Plugins", Material2AL.EXTENSION, new PluginPanelView(vm.plugins()));
        pluginsTab.textProperty().bind(Bindings.createStringBinding(() -> vm.plugins().enabledCountProperty().get() == 0
                ? "Plugins" : "Plugins · " + vm.plugins().enabledCountProperty().get(), vm.plugins().enabledCountProperty()));
        TabPane side = new TabPane(queueTab, pluginsTab, tab("Details", Material2AL.INFO, new DetailsView(vm.gallery(), actions)));
        side.setId("side-tabs");
        side.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        side.setPrefWidth(360);
        side.setMinWidth(260);
        side.getStyleClass().add("side-tabs");
        vm.gallery().selectedProperty().addListener((obs, o, n) -> {
            if (n != null && side.getSelectionModel().getSelectedIndex() == 0 && vm.queue().pending().isEmpty()
                    && vm.queue().running() == null) {
                side.getSelectionModel().select(2);
            }
        });

        SplitPane main = new SplitPane(promptView, center, side);
        main.setDividerPositions(0.25, 0.75);
        SplitPane.setResizableWithParent(promptView, false);
        SplitPane.setResizableWithParent(side, false);
        statusBar = new StatusBarView(vm.status());
        BorderPane root = new BorderPane(main, header(), null, statusBar, null);
        root.getStyleClass().add("studio-root");

        Scene scene = new Scene(root, 1440, 900);
        scene.getStylesheets().add(STYLESHEET);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, this::shortcuts);
        stage.setTitle("Osmosis Studio");
        stage.setMinWidth(1000);
        stage.setMinHeight(640);
        stage.setScene(scene);
        applyTheme(vm.darkThemeProperty().get());
        vm.darkThemeProperty().addListener((obs, o, dark) -> applyTheme(dark));
        vm.notifications().addListener(this::toast);
    }

    private static Tab tab(String text, org.kordamp.ikonli.Ikon icon, javafx.scene.Node content) {
        Tab t = new Tab(text, content);
        t.setGraphic(Icons.of(icon, 14));
        t.setId("tab-" + text.toLowerCase(java.util.Locale.ROOT));
        return t;
    }

    private HBox header() {
        Label logo = new Label("Osmosis", Icons.of(Material2AL.BUBBLE_CHART, 22));
        logo.getStyleClass().add("app-title");
        Label studio = new Label("Studio");
        studio.getStyleClass().add("app-subtitle");
        HBox brand = new HBox(6, logo, studio);
        brand.setAlignment(Pos.CENTER_LEFT);

        ModelPickerView picker = new ModelPickerView(vm.models(), vm.modelInfoProperty(), vm::addModel);

        ToggleButton live = new ToggleButton("Live", Icons.of(Material2AL.FLASH_ON));
        live.setId("live");
        live.selectedProperty().bindBidirectional(vm.liveProperty());
        live.setTooltip(new Tooltip("Generate as you type: each pause in typing starts a job and each keystroke"
                + " cancels the previous one. Meant for fast models such as the embedded one; live images are"
                + " not saved unless you press Keep."));

        Button theme = new Button();
        theme.setId("theme");
        theme.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        theme.graphicProperty().bind(Bindings.createObjectBinding(() -> Icons.of(vm.darkThemeProperty().get()
                ? Material2MZ.WB_SUNNY : Material2AL.BEDTIME), vm.darkThemeProperty()));
        theme.setTooltip(new Tooltip("Light or dark theme"));
        theme.setOnAction(e -> vm.darkThemeProperty().set(!vm.darkThemeProperty().get()));

        NoticesButton notices = new NoticesButton(vm.notifications());

        HBox box = new HBox(14, brand, picker, Controls.hgrow(), live, notices, theme);
        box.setAlignment(Pos.CENTER_LEFT);
        box.setPadding(new Insets(8, 14, 8, 16));
        box.getStyleClass().add("header-bar");
        return box;
    }

    private void shortcuts(KeyEvent e) {
        if (e.getCode() == KeyCode.ENTER && e.isShortcutDown()) {
            vm.generate();
            e.consume();
        } else if (e.getCode() == KeyCode.ESCAPE && vm.cancel()) {
            e.consume();
        }
    }

    private void applyTheme(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
        stage.getScene().getRoot().pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("dark"), dark);
    }

    private void toast(Notice n) {
        if (!stage.isShowing()) {
            return;
        }
        var level = n.level();
        var icon = Icons.of(switch (level) {
            case ERROR -> Material2AL.ERROR;
            case WARNING -> Material2MZ.WARNING;
            default -> Material2AL.INFO;
        }, 22);
        // the toast is its own popup window, outside the scene's stylesheet until added below
        icon.setIconColor(javafx.scene.paint.Color.web(switch (level) {
            case ERROR -> "#d1242f";
            case WARNING -> "#bf8700";
            default -> "#0969da";
        }));
        // a Text with a wrapping width reports its real height, so long reasons are never cut
        javafx.scene.text.Text message = new javafx.scene.text.Text(n.message());
        message.setWrappingWidth(360);
        message.getStyleClass().add("toast-text");
        HBox text = new HBox(12, icon, message);
        text.setAlignment(Pos.TOP_LEFT);
        Notifications note = Notifications.create().title(n.title()).graphic(text).owner(stage)
                .position(Pos.BOTTOM_RIGHT)
                .hideAfter(Duration.seconds(level == dev.osmosis.app.services.NotificationCenter.Level.ERROR ? 12 : 6));
        note.show();
        // a toast is a popup, and popups take Esc (to hide themselves) before the window sees it:
        // Esc must keep cancelling the running job while a toast is on screen
        for (javafx.stage.Window w : javafx.stage.Window.getWindows()) {
            if (w instanceof javafx.stage.PopupWindow p && p.getScene() != null
                    && p.getScene().getRoot().lookup(".notification-bar") != null) {
                p.setHideOnEscape(false);
                // ControlsFX's toast colours are Modena names the AtlantaFX themes lack: ours fill them in
                if (!p.getScene().getStylesheets().contains(STYLESHEET)) {
                    p.getScene().getStylesheets().add(STYLESHEET);
                }
                p.getScene().getRoot().pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("dark"),
                        vm.darkThemeProperty().get());
            }
        }
    }

    public PromptView promptView() {
        return promptView;
    }

    public CanvasView canvasView() {
        return canvasView;
    }

    public Stage stage() {
        return stage;
    }

    public void dispose() {
        statusBar.stop();
    }
}
