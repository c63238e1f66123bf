package dev.osmosis.engine.train;

/**
 * Linear warm-up to a constant rate. Constant after warm-up, because the shipped weights are an
 * EMA (which anneals for free) and a constant rate lets a finished run be extended by raising its
 * step count without a schedule that already decayed.
 */
public record LearningRate(double peak, long warmupSteps) {
    public LearningRate {
        if (!(peak > 0) || warmupSteps < 0) {
            throw new IllegalArgumentException("learning rate must be positive and warm-up non-negative: " + peak
                    + ", " + warmupSteps);
        }
    }

    /** The rate of update number {@code step} (0-based). */
    public double at(long step) {
        return step < warmupSteps ? peak * (step + 1) / warmupSteps : peak;
    }
}
