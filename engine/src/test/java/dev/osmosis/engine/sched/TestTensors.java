package dev.osmosis.engine.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Deterministic test latents and the reference README's tolerance rule. */
final class TestTensors {
    static final Shape LATENT = new Shape(1, 4, 8, 12);

    private TestTensors() {}

    /** sin(1 + i * frequency) over a latent-shaped array: smooth, signed, no RNG. */
    static NDArray pattern(NDManager manager, double frequency) {
        float[] values = new float[Math.toIntExact(LATENT.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(1 + i * frequency);
        }
        return manager.create(values, LATENT);
    }

    /** max |actual - expected| / (atol + rtol |expected|); at most 1 passes. */
    static double errorRatio(float[] expected, float[] actual, double atol, double rtol) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (atol + rtol * Math.abs(expected[i])));
        }
        return worst;
    }

    static void assertClose(NDArray expected, NDArray actual, double atol, double rtol) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), "shape");
        double ratio = errorRatio(expected.toFloatArray(), actual.toFloatArray(), atol, rtol);
        assertTrue(ratio <= 1, ratio + "x the tolerance");
    }
}
