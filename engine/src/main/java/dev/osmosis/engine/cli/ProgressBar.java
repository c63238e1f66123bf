package dev.osmosis.engine.cli;

import dev.osmosis.engine.pipeline.Progress;
import dev.osmosis.engine.pipeline.ProgressListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** A one-line terminal progress bar redrawn in place: {@code [#####.....] 10/20 2.31 it/s ETA 0:04}. */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;

    ProgressBar(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    @Override
    public void onStep(Progress p) {
        int filled = (int) Math.round(p.fraction() * WIDTH);
        out.printf(Locale.ROOT, "\r%s [%s%s] %d/%d %.2f it/s ETA %s  ", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), p.step(), p.total(), p.iterationsPerSecond(), clock(p.eta()));
        if (p.step() == p.total()) {
            out.println();
        }
        out.flush();
    }

    static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
