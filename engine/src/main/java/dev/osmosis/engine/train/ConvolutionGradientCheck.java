package dev.osmosis.engine.train;

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

/**
 * Whether this machine's libtorch gives the right convolution gradients, checked before training:
 * the engine's {@link Conv2d} in float32 (libtorch runs it through oneDNN) against the same
 * convolution in float64 (which oneDNN does not take; libtorch uses its own kernels). On an AMD
 * EPYC, oneDNN's backward returned wrong input gradients for many shapes (Conv2d now pads the
 * output channels of those it met; AVX-512 still fails 3x3 stride-2 convolutions from 48
 * channels, which no model here has), and a model trained on wrong gradients still learns
 * something, so nothing else would tell.
 */
public final class ConvolutionGradientCheck {
    private static final double TOLERANCE = 1e-4;

    private ConvolutionGradientCheck() {}

    /**
     * The problems on the channel counts of the tiny models (empty when there are none): their
     * inputs include the UNet's skip concatenations (96, 192, 256).
     */
    public static List<String> run(NDManager manager) {
        return sweep(manager, new int[] {3, 4, 8, 16, 32, 64, 96, 128, 192, 256},
                new int[] {3, 4, 8, 16, 32, 64, 128}, new int[] {4, 16});
    }

    /**
     * {@link #compare} on 3x3 (stride 1 and 2) and 1x1 convolutions of every listed channel count
     * and map side, with weights trained and frozen.
     */
    public static List<String> sweep(NDManager manager, int[] inChannels, int[] outChannels, int[] sides) {
        List<String> problems = new ArrayList<>();
        int[][] kernelStride = {{3, 1}, {3, 2}, {1, 1}};
        for (boolean frozen : new boolean[] {false, true}) {
            for (int[] ks : kernelStride) {
                for (int in : inChannels) {
                    for (int out : outChannels) {
                        for (int side : sides) {
                            try (NDManager work = manager.newSubManager()) {
                                String problem = compare(work, ks[0], ks[1], in, out, side, frozen);
                                if (problem != null) {
                                    problems.add(problem);
                                }
                            }
                        }
                    }
                }
            }
        }
        return problems;
    }

    /**
     * One convolution of a batch of 4 random [in, side, side] maps: null when every float32 gradient
     * (of the input, and of weight and bias unless frozen) is within 1e-4 of the largest float64
     * value, else what differs.
     */
    public static String compare(NDManager m, int kernel, int stride, int in, int out, int side, boolean frozen) {
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
            if (!(error < TOLERANCE)) {
                return String.format(java.util.Locale.ROOT, "%dx%d convolution, stride %d, %d -> %d channels on %dx%d%s:"
                        + " %s gradient off by %.3g of its largest value", kernel, kernel, stride, in, out, side, side,
                        frozen ? " (weights frozen)" : "", names[i], error);
            }
        }
        return null;
    }

    /** Gradients of sum(conv(x) * r) for x, and for the weight and bias unless frozen. */
    private static NDArray[] gradients(NDArray x0, NDArray w0, NDArray b0, NDArray r, int kernel, int stride,
            boolean frozen, DataType type) {
        NDArray x = x0.toType(type, true);
        NDArray w = w0.toType(type, true);
        NDArray b = b0.toType(type, true);
        Conv2d conv = new Conv2d(Weights.of("check", Map.of("weight", w, "bias", b)), w.getShape().get(1),
                w.getShape().get(0), kernel, stride, kernel / 2);
        x.setRequiresGradient(true);
        w.setRequiresGradient(!frozen);
        b.setRequiresGradient(!frozen);
        try (AutogradScope plain = AutogradScope.enter();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(conv.forward(x).mul(r.toType(type, false)).sum());
        }
        if (frozen) {
            return new NDArray[] {x.getGradient().toType(DataType.FLOAT64, true)};
        }
        return new NDArray[] {x.getGradient().toType(DataType.FLOAT64, true),
                w.getGradient().toType(DataType.FLOAT64, true), b.getGradient().toType(DataType.FLOAT64, true)};
    }
}
