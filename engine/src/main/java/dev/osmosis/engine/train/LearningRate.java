package dev.osmosis.engine.train;

/**
 * Warm-up, stable, decay: a linear warm-up over {@code warmupSteps} updates counted from update
 * {@code start}, the constant {@code peak}, then a linear decay to zero over the last
 * {@code decaySteps} updates before {@code end} (Hägele et al. 2024, "Scaling Laws and
 * Compute-Optimal Training Beyond Fixed Training Durations"). The stable phase lets a run be
 * extended by raising its step count; the decay is a short branch at the end of it. {@code start} is
 * where the optimiser's moments started from zero (0, or a warm start's step).
 */
public record LearningRate(double peak, long warmupSteps, long start, long end, long decaySteps) {
    public LearningRate {
        if (!(peak > 0) || warmupSteps < 0 || decaySteps < 0 || start < 0) {
            throw new IllegalArgumentException("learning rate must be positive, warm-up, decay and start non-negative: "
                    + peak + ", " + warmupSteps + ", " + decaySteps + ", " + start);
        }
    }

    /** Warm-up to a constant rate, no decay. */
    public LearningRate(double peak, long warmupSteps) {
        this(peak, warmupSteps, 0, Long.MAX_VALUE, 0);
    }

    /** The rate of update number {@code step} (0-based). */
    public double at(long step) {
        double rate = peak;
        long sinceStart = step - start;
        if (sinceStart < warmupSteps) {
            rate *= Math.max(0, sinceStart + 1) / (double) warmupSteps;
        }
        if (decaySteps > 0 && step >= end - decaySteps) {
            rate *= Math.max(0, end - step) / (double) decaySteps;
        }
        return rate;
    }
}
