package dev.osmosis.app.status;

import dev.osmosis.app.services.SystemStats;
import dev.osmosis.engine.pipeline.Progress;
import java.time.Duration;
import java.util.Locale;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** The status bar: what the studio is doing, the running job's step, speed and ETA, the device and memory. */
public final class StatusViewModel {
    private final StringProperty message = new SimpleStringProperty("Starting the engine…");
    private final StringProperty step = new SimpleStringProperty("");
    private final StringProperty speed = new SimpleStringProperty("");
    private final StringProperty eta = new SimpleStringProperty("");
    private final StringProperty device = new SimpleStringProperty("CPU");
    private final StringProperty memory = new SimpleStringProperty("");
    private final StringProperty memoryDetail = new SimpleStringProperty("");
    /** 0..1 while generating, -1 (indeterminate) while loading, 0 when idle. */
    private final DoubleProperty progress = new SimpleDoubleProperty(0);

    public StringProperty messageProperty() { return message; }
    public StringProperty stepProperty() { return step; }
    public StringProperty speedProperty() { return speed; }
    public StringProperty etaProperty() { return eta; }
    public StringProperty deviceProperty() { return device; }
    public StringProperty memoryProperty() { return memory; }
    public StringProperty memoryDetailProperty() { return memoryDetail; }
    public DoubleProperty progressProperty() { return progress; }

    public void idle(String text) {
        message.set(text);
        step.set("");
        speed.set("");
        eta.set("");
        progress.set(0);
    }

    public void busy(String text) {
        message.set(text);
        step.set("");
        speed.set("");
        eta.set("");
        progress.set(-1);
    }

    public void progress(String text, Progress p) {
        message.set(text);
        step.set("Step " + p.step() + "/" + p.total());
        double its = p.iterationsPerSecond();
        speed.set(its >= 10 ? String.format(Locale.ROOT, "%.0f it/s", its)
                : its >= 1 ? String.format(Locale.ROOT, "%.1f it/s", its)
                : its > 0 ? String.format(Locale.ROOT, "%.1f s/it", 1 / its) : "");
        eta.set(p.step() >= p.total() ? "decoding…" : "ETA " + duration(p.eta()));
        progress.set(p.fraction());
    }

    /** A large image is decoded in tiles: say how far. */
    public void decoding(int done, int tiles) {
        eta.set("decoding tile " + Math.min(done + 1, tiles) + "/" + tiles);
    }

    public void device(String text) {
        device.set(text);
    }

    /** Reads the process's memory now (the view calls this every couple of seconds). */
    public void refreshMemory() {
        long rss = SystemStats.residentBytes();
        long heap = SystemStats.heapUsedBytes();
        memory.set("RAM " + SystemStats.bytes(rss >= 0 ? rss : heap));
        memoryDetail.set("Process " + SystemStats.bytes(rss) + " (PyTorch tensors included) · Java heap "
                + SystemStats.bytes(heap) + " of " + SystemStats.bytes(SystemStats.heapMaxBytes()));
    }

    /** "0:07", "1:02:03". */
    public static String duration(Duration d) {
        long s = Math.max(0, Math.round(d.toMillis() / 1000.0));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
