package dev.osmosis.plugins.cache;

import java.util.BitSet;
import java.util.TreeSet;

/**
 * Which UNet calls of a generation run in full, for caching accelerators: every {@code interval}-th
 * call (uniform), or as many calls packed densely around a centre step (DeepCache's non-uniform 1:N
 * strategy, Ma et al. 2023, sec. 4.2: features change fastest there, so refresh the cache more often).
 */
final class FullStepSchedule {
    private FullStepSchedule() {}

    /** Calls 0, interval, 2 interval, ... */
    static BitSet uniform(int calls, int interval) {
        BitSet full = new BitSet(calls);
        for (int i = 0; i < calls; i += interval) {
            full.set(i);
        }
        return full;
    }

    /**
     * ceil(calls / interval) full calls: call 0, then centre + sign(u) |u|^p for u evenly spaced from
     * -centre^(1/p) to (calls - centre)^(1/p), the two ends dropped. The exponent starts at
     * {@code power} and is lowered in steps of 0.02 until the rounded calls are distinct enough to
     * give the wanted count; if no exponent above 1 does, the schedule falls back to uniform.
     *
     * @param centre the densest call, as a fraction of the calls
     */
    static BitSet nonUniform(int calls, int interval, double centre, double power) {
        int wanted = (calls + interval - 1) / interval;
        int c = (int) Math.round(centre * calls);
        for (double p = power; p > 1; p -= 0.02) {
            double lo = -Math.pow(c, 1 / p);
            double hi = Math.pow(calls - c, 1 / p);
            TreeSet<Integer> offsets = new TreeSet<>();
            for (int j = 0; j <= wanted; j++) {
                double u = lo + (hi - lo) * j / wanted;
                offsets.add((int) (Math.signum(u) * Math.pow(Math.abs(u), p)));
            }
            if (offsets.size() < 3) {
                continue;
            }
            offsets.pollFirst();
            offsets.pollLast();
            BitSet full = new BitSet(calls);
            full.set(0);
            for (int offset : offsets) {
                if (c + offset > 0 && c + offset < calls) {
                    full.set(c + offset);
                }
            }
            if (full.cardinality() == wanted) {
                return full;
            }
        }
        return uniform(calls, interval);
    }
}
