package dev.osmosis.engine.cli;

import java.util.Arrays;
import java.util.Locale;

/** Repeated wall-clock timings of one thing: median and spread, for machines shared with other work. */
record Timings(double[] millis) {
    static Timings of(int runs, Runnable work) {
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return new Timings(ms);
    }

    double median() {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    double min() {
        return Arrays.stream(millis).min().orElse(Double.NaN);
    }

    double max() {
        return Arrays.stream(millis).max().orElse(Double.NaN);
    }

    /** GFLOP/s at the median time. */
    double rate(double flops) {
        return flops / (median() / 1e3) / 1e9;
    }

    /** "median ms [min-max]". */
    String describe() {
        return String.format(Locale.ROOT, "%.0f ms [%.0f-%.0f]", median(), min(), max());
    }
}
