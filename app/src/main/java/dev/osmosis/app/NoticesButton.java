package dev.osmosis.app;

import atlantafx.base.theme.Styles;
import dev.osmosis.app.services.NotificationCenter;
import dev.osmosis.app.services.NotificationCenter.Notice;
import dev.osmosis.app.ui.Icons;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.material2.Material2AL;
import org.kordamp.ikonli.material2.Material2MZ;

/** The bell in the header: the recent notices (toasts vanish; this keeps them), with an unread count. */
final class NoticesButton extends MenuButton {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private int unread;

    NoticesButton(NotificationCenter center) {
        setId("notices");
        setGraphic(Icons.of(Material2MZ.NOTIFICATIONS));
        getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, "notices-button");
        setTooltip(new Tooltip("Recent messages"));
        center.notices().addListener((ListChangeListener<Notice>) c -> {
            while (c.next()) {
                unread += c.getAddedSize();
            }
            update(center);
        });
        setOnShowing(e -> {
            unread = 0;
            update(center);
        });
        update(center);
    }

    private void update(NotificationCenter center) {
        setText(unread == 0 ? null : Integer.toString(unread));
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("unread"), unread > 0);
        getItems().clear();
        if (center.notices().isEmpty()) {
            MenuItem none = new MenuItem("No messages");
            none.setDisable(true);
            getItems().add(none);
            return;
        }
        for (Notice n : center.notices().subList(0, Math.min(15, center.notices().size()))) {
            Label title = new Label(TIME.format(n.time()) + "  " + n.title());
            title.getStyleClass().add(Styles.TEXT_BOLD);
            Label text = new Label(n.message());
            text.setWrapText(true);
            text.setMaxWidth(420);
            text.getStyleClass().add(Styles.TEXT_SMALL);
            MenuItem item = new MenuItem(null, new VBox(2, title, text));
            item.setGraphic(new VBox(2, title, text));
            item.setText(null);
            var icon = Icons.of(switch (n.level()) {
                case ERROR -> Material2AL.ERROR;
                case WARNING -> Material2MZ.WARNING;
                default -> Material2AL.INFO;
            });
            title.setGraphic(icon);
            getItems().add(item);
        }
    }
}
