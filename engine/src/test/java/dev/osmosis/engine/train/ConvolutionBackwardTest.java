package dev.osmosis.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.osmosis.engine.nn.Conv2d;
import dev.osmosis.engine.nn.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A guard on the backend under the engine's {@link Conv2d}: float32 gradients, which libtorch 2.7.1
 * computes through oneDNN, against the same convolution in float64, which oneDNN does not take and
 * libtorch computes with its own reference kernels. On an AMD EPYC with AVX-512 oneDNN's backward
 * returned wrong or NaN input gradients for many shapes; with ONEDNN_MAX_CPU_ISA=AVX2 (set by the
 * test runner and `./osmosis train`) it still did for every 3x3 stride-1 convolution with 3 or 4
 * output channels, which Conv2d now pads to 8 channels under autograd. Training would not notice:
 * a wrong input gradient at the UNet's output layer silently spoils every gradient before it.
 */
class ConvolutionBackwardTest {
    @Test
    void float32GradientsMatchTheFloat64Reference() {
        List<String> failures = new ArrayList<>();
        int[][] kernelStride = {{3, 1}, {3, 2}, {1, 1}};
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            for (boolean frozen : new boolean[] {false, true}) {
                for (int[] ks : kernelStride) {
                    for (int in : new int[] {3, 4, 8, 12, 24, 32, 48}) {
                        for (int out : new int[] {3, 4, 8, 16, 32}) {
                            for (int side : new int[] {2, 4, 8, 16}) {
                                try (NDManager work = manager.newSubManager()) {
                                    String error = compare(work, ks[0], ks[1], in, out, side, frozen);
                                    if (error != null) {
                                        failures.add("k" + ks[0] + " s" + ks[1] + " " + in + "->" + out + " at "
                                                + side + "x" + side + (frozen ? " frozen" : "") + ": " + error);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), failures, "convolution gradients differ from float64 (ONEDNN_MAX_CPU_ISA="
                + System.getenv("ONEDNN_MAX_CPU_ISA") + ")");
    }

    private static String compare(NDManager m, int kernel, int stride, int in, int out, int side, boolean frozen) {
        NDArray x = m.randomNormal(new Shape(4, in, side, side));
        NDArray w = m.randomNormal(new Shape(out, in, kernel, kernel));
        NDArray b = m.randomNormal(new Shape(out));
        NDArray r = m.randomNormal(new Shape(4, out, side / stride, side / stride));
        NDArray[] single = gradients(x, w, b, r, kernel, stride, frozen, DataType.FLOAT32);
        NDArray[] reference = gradients(x, w, b, r, kernel, stride, frozen, DataType.FLOAT64);
        String[] names = {"input", "weight", "bias"};
        for (int i = 0; i < single.length; i++) {
            double scale = reference[i].abs().max().getDouble();
            double error = single[i].sub(reference[i]).abs().max().getDouble() / scale;
            if (!(error < 1e-4)) {
                return names[i] + " gradient off by " + error + " of its largest value";
            }
        }
        return null;
    }

    /** Gradients of sum(conv(x) * r) for x, and for the weight and bias unless frozen. */
    private static NDArray[] gradients(NDArray x0, NDArray w0, NDArray b0, NDArray r0, int kernel, int stride,
            boolean frozen, DataType type) {
        NDArray x = x0.toType(type, true);
        NDArray w = w0.toType(type, true);
        NDArray b = b0.toType(type, true);
        Conv2d conv = new Conv2d(Weights.of("test", Map.of("weight", w, "bias", b)), w.getShape().get(1),
                w.getShape().get(0), kernel, stride, kernel / 2);
        x.setRequiresGradient(true);
        w.setRequiresGradient(!frozen);
        b.setRequiresGradient(!frozen);
        try (AutogradScope plain = AutogradScope.enter();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(conv.forward(x).mul(r0.toType(type, false)).sum());
        }
        if (frozen) {
            return new NDArray[] {x.getGradient().toType(DataType.FLOAT64, true)};
        }
        return new NDArray[] {x.getGradient().toType(DataType.FLOAT64, true),
                w.getGradient().toType(DataType.FLOAT64, true), b.getGradient().toType(DataType.FLOAT64, true)};
    }
}
