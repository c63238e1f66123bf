package dev.osmosis.engine.pipeline;

import java.time.Duration;

/**
 * One denoising step done. {@code preview} is a cheap RGB approximation of the current latents
 * (may be null when previews are off).
 */
public record Progress(int step, int total, Duration elapsed, Duration eta, java.awt.image.BufferedImage preview) {
    public double fraction() {
        return total == 0 ? 1 : (double) step / total;
    }

    public double iterationsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : step / s;
    }

    static Progress of(int step, int total, long startNanos, java.awt.image.BufferedImage preview) {
        long elapsed = System.nanoTime() - startNanos;
        long eta = step == 0 ? 0 : elapsed / step * (total - step);
        return new Progress(step, total, Duration.ofNanos(elapsed), Duration.ofNanos(eta), preview);
    }
}
