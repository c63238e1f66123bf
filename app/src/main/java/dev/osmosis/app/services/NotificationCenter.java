package dev.osmosis.app.services;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Everything the studio tells the person outside the main flow: failures with their reason, and
 * confirmations of background work. The window shows each notice as a toast and keeps the list;
 * unexpected errors also go to the log with their stack trace. Call on the UI thread.
 */
public final class NotificationCenter {
    private static final System.Logger LOG = System.getLogger("osmosis.studio");
    private static final int KEEP = 200;

    public enum Level { INFO, WARNING, ERROR }

    public record Notice(Level level, String title, String message, Instant time) {}

    private final ObservableList<Notice> notices = FXCollections.observableArrayList();
    private final List<Consumer<Notice>> listeners = new ArrayList<>();

    public ObservableList<Notice> notices() {
        return notices;
    }

    /** Called for every new notice (the window turns it into a toast). */
    public void addListener(Consumer<Notice> listener) {
        listeners.add(listener);
    }

    public void info(String title, String message) {
        post(new Notice(Level.INFO, title, message, Instant.now()));
    }

    public void warning(String title, String message) {
        post(new Notice(Level.WARNING, title, message, Instant.now()));
    }

    public void error(String title, String message) {
        post(new Notice(Level.ERROR, title, message, Instant.now()));
    }

    /** An error whose message is made from the exception; unexpected ones are logged with the trace. */
    public void error(String title, Throwable e) {
        if (!ErrorMessages.isExpected(e)) {
            LOG.log(System.Logger.Level.ERROR, title, e);
        }
        error(title, ErrorMessages.describe(e));
    }

    private void post(Notice n) {
        notices.add(0, n);
        if (notices.size() > KEEP) {
            notices.remove(KEEP, notices.size());
        }
        for (Consumer<Notice> l : List.copyOf(listeners)) {
            l.accept(n);
        }
    }
}
