package dev.osmosis.app.queue;

import atlantafx.base.theme.Styles;
import dev.osmosis.app.ui.Icons;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.material2.Material2AL;

/**
 * The job queue: the running job with its progress, then the pending ones in run order. Pending
 * jobs move with the arrows or by dragging, and any job can be cancelled.
 */
public final class QueueView extends VBox {
    private final JobQueue<?> queue;
    private final ObservableList<Job> shown = FXCollections.observableArrayList();
    private final ListView<Job> list = new ListView<>(shown);

    public QueueView(JobQueue<?> queue) {
        this.queue = queue;
        setId("queue");
        getStyleClass().add("queue-view");
        queue.pending().addListener((ListChangeListener<Job>) c -> refresh());
        queue.runningProperty().addListener((obs, o, n) -> refresh());
        refresh();

        list.setId("queue-list");
        list.setCellFactory(l -> new JobCell());
        list.getStyleClass().add(Styles.DENSE);
        Label empty = new Label("No jobs waiting.\nCtrl+Enter while a job runs queues the next one.");
        empty.getStyleClass().add(Styles.TEXT_MUTED);
        empty.setWrapText(true);
        empty.setStyle("-fx-text-alignment: center;");
        list.setPlaceholder(empty);
        VBox.setVgrow(list, Priority.ALWAYS);

        Button cancelAll = new Button("Cancel all", Icons.of(Material2AL.CLEAR_ALL));
        cancelAll.setId("queue-cancel-all");
        cancelAll.getStyleClass().addAll(Styles.FLAT, Styles.SMALL);
        cancelAll.disableProperty().bind(Bindings.isEmpty(shown));
        cancelAll.setOnAction(e -> queue.cancelAll());
        Label count = new Label();
        count.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        count.textProperty().bind(Bindings.createStringBinding(() -> queue.pending().size() + " waiting", queue.pending()));
        HBox bar = new HBox(8, count, dev.osmosis.app.ui.Controls.hgrow(), cancelAll);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8, 10, 8, 12));
        getChildren().addAll(bar, list);
    }

    private void refresh() {
        ObservableList<Job> next = FXCollections.observableArrayList();
        if (queue.running() != null) {
            next.add(queue.running());
        }
        next.addAll(queue.pending());
        shown.setAll(next);
    }

    private final class JobCell extends ListCell<Job> {
        JobCell() {
            setPrefWidth(0); // fit the list's width instead of growing past it with long prompts
            setOnDragDetected(e -> {
                Job job = getItem();
                if (job == null || !queue.pending().contains(job)) {
                    return;
                }
                var db = startDragAndDrop(TransferMode.MOVE);
                ClipboardContent c = new ClipboardContent();
                c.putString(Long.toString(job.id()));
                db.setContent(c);
                e.consume();
            });
            setOnDragOver(e -> {
                if (e.getGestureSource() instanceof JobCell && getItem() != null && queue.pending().contains(getItem())) {
                    e.acceptTransferModes(TransferMode.MOVE);
                }
                e.consume();
            });
            setOnDragDropped(e -> {
                boolean done = false;
                if (e.getGestureSource() instanceof JobCell source && source.getItem() != null && getItem() != null) {
                    done = queue.moveTo(source.getItem(), queue.pending().indexOf(getItem()));
                }
                e.setDropCompleted(done);
                e.consume();
            });
        }

        @Override
        protected void updateItem(Job job, boolean empty) {
            super.updateItem(job, empty);
            if (empty || job == null) {
                setGraphic(null);
                return;
            }
            Label title = new Label(job.spec().summary());
            title.getStyleClass().add(Styles.TEXT_BOLD);
            title.setMaxWidth(Double.MAX_VALUE);
            Label details = new Label(job.spec().details());
            details.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            Label state = new Label();
            state.getStyleClass().addAll(Styles.TEXT_SMALL, "job-state");
            state.textProperty().bind(Bindings.createStringBinding(() -> job.state().label(), job.stateProperty()));
            VBox text = new VBox(2, title, details, state);
            HBox.setHgrow(text, Priority.ALWAYS);
            text.setMinWidth(0);

            HBox buttons = new HBox(2);
            buttons.setAlignment(Pos.CENTER_RIGHT);
            boolean pending = queue.pending().contains(job);
            if (pending) {
                buttons.getChildren().addAll(
                        iconButton(Material2AL.ARROW_UPWARD, "Run earlier", () -> queue.move(job, -1)),
                        iconButton(Material2AL.ARROW_DOWNWARD, "Run later", () -> queue.move(job, 1)));
            }
            Button cancel = iconButton(Material2AL.CLOSE, pending ? "Remove from the queue" : "Cancel (Esc)",
                    () -> queue.cancel(job));
            cancel.getStyleClass().add(Styles.DANGER);
            buttons.getChildren().add(cancel);
            HBox row = new HBox(8, text, buttons);
            row.setAlignment(Pos.CENTER_LEFT);
            VBox box = new VBox(6, row);
            if (!pending) {
                ProgressBar bar = new ProgressBar();
                bar.progressProperty().bind(Bindings.createDoubleBinding(() -> job.state() == JobState.LOADING
                        ? -1 : job.progressProperty().get(), job.stateProperty(), job.progressProperty()));
                bar.setMaxWidth(Double.MAX_VALUE);
                bar.getStyleClass().add(Styles.SMALL);
                box.getChildren().add(bar);
                box.getStyleClass().add("job-running");
            }
            box.setPadding(new Insets(6, 4, 6, 4));
            setGraphic(new StackPane(box));
        }

        private Button iconButton(org.kordamp.ikonli.Ikon icon, String tip, Runnable action) {
            Button b = new Button(null, Icons.of(icon, 14));
            b.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
            b.setTooltip(new Tooltip(tip));
            b.setOnAction(e -> action.run());
            return b;
        }
    }
}
