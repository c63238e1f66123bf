package dev.osmosis.app.status;

import atlantafx.base.theme.Styles;
import dev.osmosis.app.ui.Controls;
import dev.osmosis.app.ui.Icons;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.util.Duration;
import org.kordamp.ikonli.material2.Material2AL;
import org.kordamp.ikonli.material2.Material2MZ;

/** The status bar: message, progress, step/total, it/s, ETA, device, memory (refreshed every 2 s). */
public final class StatusBarView extends HBox {
    private final Timeline memoryTimer;

    public StatusBarView(StatusViewModel vm) {
        setId("status-bar");
        getStyleClass().add("status-bar");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(12);
        setPadding(new Insets(5, 14, 5, 14));

        Label message = label("status-message", vm.messageProperty());
        message.setMinWidth(0);
        ProgressBar bar = new ProgressBar();
        bar.setId("status-progress");
        bar.setPrefWidth(160);
        bar.getStyleClass().add(Styles.SMALL);
        bar.progressProperty().bind(vm.progressProperty());
        bar.visibleProperty().bind(vm.progressProperty().isNotEqualTo(0, 1e-9)
                .and(vm.messageProperty().isNotEmpty()));
        Label step = label("status-step", vm.stepProperty());
        Label speed = label("status-speed", vm.speedProperty());
        Label eta = label("status-eta", vm.etaProperty());
        Label device = label("status-device", vm.deviceProperty());
        device.setGraphic(Icons.of(Material2AL.DEVELOPER_BOARD, 14));
        Label memory = label("status-memory", vm.memoryProperty());
        memory.setGraphic(Icons.of(Material2MZ.MEMORY, 14));
        Tooltip detail = new Tooltip();
        detail.textProperty().bind(vm.memoryDetailProperty());
        memory.setTooltip(detail);
        for (Label l : new Label[] {step, speed, eta}) {
            l.getStyleClass().add("mono");
            l.managedProperty().bind(l.textProperty().isNotEmpty());
        }
        getChildren().addAll(message, Controls.hgrow(), bar, step, speed, eta, new Separator(javafx.geometry.Orientation.VERTICAL),
                device, memory);

        vm.refreshMemory();
        memoryTimer = new Timeline(new KeyFrame(Duration.seconds(2), e -> vm.refreshMemory()));
        memoryTimer.setCycleCount(Animation.INDEFINITE);
        memoryTimer.play();
    }

    private static Label label(String id, javafx.beans.value.ObservableValue<String> text) {
        Label l = new Label();
        l.setId(id);
        l.textProperty().bind(text);
        return l;
    }

    public void stop() {
        memoryTimer.stop();
    }
}
