package dev.osmosis.engine.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * One line per report for long runs whose output goes to a log:
 * {@code unet  1200/40000  loss 0.1234 (avg 0.1301)  lr 3.0e-04  2.31 steps/s  0:08:40 elapsed  ETA 4:41:10}.
 * The rate is measured over this session only (a resumed run does not count the steps it inherited),
 * so the ETA is honest after a restart.
 */
public final class TrainingProgress {
    private final PrintStream out;
    private final String stage;
    private final long total;
    private final long firstStep;
    private final long sessionStart = System.nanoTime();
    private final double priorSeconds;
    private double average = Double.NaN;

    /**
     * @param firstStep the step this session starts at (after a resume)
     * @param priorSeconds training time spent before this session, from the checkpoint
     */
    public TrainingProgress(PrintStream out, String stage, long total, long firstStep, double priorSeconds) {
        this.out = out;
        this.stage = stage;
        this.total = total;
        this.firstStep = firstStep;
        this.priorSeconds = priorSeconds;
    }

    /** Folds the loss into a running average (time constant ~100 steps). */
    public void record(double loss) {
        average = Double.isNaN(average) ? loss : 0.99 * average + 0.01 * loss;
    }

    public double average() {
        return average;
    }

    /** Seconds spent in this stage, including earlier sessions. */
    public double elapsedSeconds() {
        return priorSeconds + (System.nanoTime() - sessionStart) / 1e9;
    }

    public double stepsPerSecond(long step) {
        double seconds = (System.nanoTime() - sessionStart) / 1e9;
        return seconds > 0 ? (step - firstStep) / seconds : 0;
    }

    /** @param step steps completed */
    public void report(long step, double loss, double lr, String extra) {
        double rate = stepsPerSecond(step);
        Duration eta = rate > 0 ? Duration.ofSeconds((long) ((total - step) / rate)) : Duration.ZERO;
        out.printf(Locale.ROOT, "%-5s %7d/%d  loss %.4f (avg %.4f)  lr %.1e  %.2f steps/s  %s elapsed  ETA %s%s%n",
                stage, step, total, loss, average, lr, rate, clock(Duration.ofSeconds((long) elapsedSeconds())),
                clock(eta), extra.isEmpty() ? "" : "  " + extra);
        out.flush();
    }

    /**
     * Resident memory of this process in MB (Linux /proc/self/status VmRSS), or -1 where unknown:
     * native tensors do not show in the Java heap, so this is the number that must stay flat.
     */
    public static long residentMb() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    public static String clock(Duration d) {
        long s = d.toSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
