package dev.osmosis.engine.nn;

/**
 * Counts the multiply-add FLOPs (2 per multiply-accumulate) of the matrix work that convolutions,
 * linear layers and attention do on this thread, while counting is on. The benchmark divides it by
 * the measured time; element-wise work (norms, activations) is not counted, as is usual.
 */
public final class FlopCounter {
    private static final ThreadLocal<long[]> COUNT = new ThreadLocal<>();

    private FlopCounter() {}

    /** Starts counting on this thread from zero. */
    public static void start() {
        COUNT.set(new long[1]);
    }

    /** Stops counting and returns the FLOPs counted since {@link #start()}. */
    public static long stop() {
        long[] count = COUNT.get();
        COUNT.remove();
        return count == null ? 0 : count[0];
    }

    static void add(long flops) {
        long[] count = COUNT.get();
        if (count != null) {
            count[0] += flops;
        }
    }
}
