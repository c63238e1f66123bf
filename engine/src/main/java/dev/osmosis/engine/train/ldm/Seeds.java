package dev.osmosis.engine.train.ldm;

import java.util.SplittableRandom;

/** Randomness as a pure function of (seed, step), so a resumed run draws exactly what it would have. */
final class Seeds {
    private Seeds() {}

    /** SplitMix64's finaliser over the pair: neighbouring steps get unrelated streams. */
    static long mix(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static float[] gaussians(SplittableRandom random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }
}
