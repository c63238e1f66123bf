package dev.osmosis.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A guard on the backend under the engine's Conv2d, wider than the check training runs at start
 * ({@link ConvolutionGradientCheck#run}): float32 gradients against float64 ones on more channel
 * counts and map sizes. On an AMD EPYC with AVX-512, libtorch 2.7.1's oneDNN backward returned
 * wrong or NaN input gradients for many shapes; with ONEDNN_MAX_CPU_ISA=AVX2 (set by the test
 * runner) it still did for every 3x3 stride-1 convolution with 3, 4 or 17 output channels, until
 * Conv2d padded output channels to a multiple of 16 under autograd. Under AVX-512 this sweep
 * still fails for 3x3 stride-2 convolutions from 48 input channels, which the output-channel
 * padding does not cover and no model here has; the check training runs covers the models' shapes on whatever ISA
 * it runs.
 */
class ConvolutionBackwardTest {
    @Test
    void float32GradientsMatchTheFloat64Reference() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            assertEquals(List.of(), ConvolutionGradientCheck.sweep(manager, new int[] {3, 4, 8, 12, 24, 32, 48},
                    new int[] {3, 4, 8, 16, 17, 32}, new int[] {2, 4, 8, 16}),
                    "ONEDNN_MAX_CPU_ISA=" + System.getenv("ONEDNN_MAX_CPU_ISA"));
        }
    }

    @Test
    void theCheckBeforeTrainingFindsNoProblem() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(List.of(), ConvolutionGradientCheck.run(manager));
        }
    }
}
