package dev.osmosis.engine.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.nn.ScaledDotProductAttention;
import dev.osmosis.engine.nn.torchscript.FusedKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Kernel timings for {@code bench unet}, every path in the same run with calls interleaved: the
 * bf16 GEMM ceiling, and the UNet's largest attention, linear and 3x3 convolution through the plain
 * DJL op, the fused kernel and bf16.
 */
final class KernelBench {
    private static final int RUNS = 5;

    private KernelBench() {}

    /** Median GFLOP/s of [4096 x 1280] @ [1280 x 1280] on bf16 copies (a chain of 4 products per call). */
    static double bf16Ceiling(NDManager manager) {
        try (NDScope scope = new NDScope()) {
            NDArray a = manager.randomNormal(new Shape(4096, 1280));
            NDArray b = manager.randomNormal(new Shape(1280, 1280)).div(Math.sqrt(1280));
            int repeats = 4;
            FusedKernels.matmulChainBf16(a, b, 1).close();
            Timings t = Timings.of(RUNS, () -> FusedKernels.matmulChainBf16(a, b, repeats).close());
            return t.rate(repeats * 2.0 * 4096 * 1280 * 1280);
        }
    }

    /** Median GFLOP/s of the same product as {@link MatmulCeiling} through oneDNN's fp32 inner product. */
    static double oneDnnCeiling(NDManager manager) {
        try (NDScope scope = new NDScope()) {
            NDArray a = manager.randomNormal(new Shape(4096, 1280));
            NDArray w = manager.randomNormal(new Shape(1280, 1280));
            FusedKernels.linearOneDnn(a, w, null).close();
            return Timings.of(7, () -> FusedKernels.linearOneDnn(a, w, null).close()).rate(2.0 * 4096 * 1280 * 1280);
        }
    }

    /** softmax(QK^T)V over [batch, tokens, channels] in {@code heads} heads, as the first transformer blocks run it. */
    static void attention(NDManager manager, int batch, int tokens, int channels, int heads) {
        try (NDScope scope = new NDScope()) {
            Shape shape = new Shape(batch, tokens, channels);
            NDArray q = manager.randomNormal(shape);
            NDArray k = manager.randomNormal(shape);
            NDArray v = manager.randomNormal(shape);
            Paths paths = new Paths(String.format(Locale.ROOT, "attention %dx%d tokens, %d heads of %d", batch, tokens,
                    heads, channels / heads), 4.0 * batch * tokens * tokens * channels);
            paths.add("plain", () -> {
                try (FusedKernels.Bypass off = FusedKernels.bypass()) {
                    return ScaledDotProductAttention.attend(q, k, v, heads, null);
                }
            });
            if (FusedKernels.available(q)) {
                paths.add("fused fp32", () -> FusedKernels.attend(q, k, v, heads, null, false));
                paths.add("fused bf16", () -> FusedKernels.attend(q, k, v, heads, null, true));
            }
            paths.print();
        }
    }

    /** x W^T + b over [rows, in] -> out, as the transformer blocks' projections run it. */
    static void linear(NDManager manager, int rows, int in, int out) {
        try (NDScope scope = new NDScope()) {
            NDArray x = manager.randomNormal(new Shape(rows, in));
            NDArray w = manager.randomNormal(new Shape(out, in));
            NDArray b = manager.randomNormal(new Shape(out));
            Paths paths = new Paths(String.format(Locale.ROOT, "linear %d x %d -> %d", rows, in, out),
                    2.0 * rows * in * out);
            paths.add("DJL (MKL sgemm)", () -> ai.djl.nn.core.Linear.linear(x, w, b).singletonOrThrow());
            if (FusedKernels.oneDnnAvailable(x)) {
                paths.add("oneDNN fp32", () -> FusedKernels.linearOneDnn(x, w, b));
            }
            if (FusedKernels.available(x)) {
                paths.add("bf16", () -> FusedKernels.linearBf16(x, w, b));
            }
            paths.print();
        }
    }

    /**
     * A 3x3 same convolution over [batch, channels, side, side]; with {@code channelsLast} the input
     * is a channels-last view, as a transformer block's output is.
     */
    static void conv3x3(NDManager manager, int batch, int channels, int side, boolean channelsLast) {
        try (NDScope scope = new NDScope()) {
            NDArray x = channelsLast
                    ? manager.randomNormal(new Shape(batch, side, side, channels)).transpose(0, 3, 1, 2)
                    : manager.randomNormal(new Shape(batch, channels, side, side));
            NDArray w = manager.randomNormal(new Shape(channels, channels, 3, 3));
            NDArray b = manager.randomNormal(new Shape(channels));
            Paths paths = new Paths(String.format(Locale.ROOT, "conv3x3 %dx%dx%dx%d%s", batch, channels, side, side,
                    channelsLast ? " channels-last input" : ""), 2.0 * batch * channels * side * side * channels * 9);
            paths.add("DJL fp32", () -> ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, new Shape(1, 1),
                    new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow());
            if (FusedKernels.available(x)) {
                paths.add("fused fp32", () -> FusedKernels.conv2d(x, w, b, 1, 1, false));
                paths.add("bf16", () -> FusedKernels.conv2d(x, w, b, 1, 1, true));
            }
            paths.print();
        }
    }

    /** Ways of computing one thing, timed round-robin so that load from other processes hits all alike. */
    private static final class Paths {
        private final String title;
        private final double flops;
        private final List<String> names = new ArrayList<>();
        private final List<Supplier<NDArray>> work = new ArrayList<>();

        Paths(String title, double flops) {
            this.title = title;
            this.flops = flops;
        }

        void add(String name, Supplier<NDArray> path) {
            names.add(name);
            work.add(path);
        }

        void print() {
            double[][] ms = new double[work.size()][RUNS];
            work.forEach(w -> w.get().close());
            for (int r = 0; r < RUNS; r++) {
                for (int p = 0; p < work.size(); p++) {
                    long start = System.nanoTime();
                    work.get(p).get().close();
                    ms[p][r] = (System.nanoTime() - start) / 1e6;
                }
            }
            StringBuilder line = new StringBuilder(title).append(':');
            for (int p = 0; p < work.size(); p++) {
                Timings t = new Timings(ms[p]);
                line.append(String.format(Locale.ROOT, "%s %s %s = %.0f GFLOP/s", p == 0 ? "" : ";", names.get(p),
                        t.describe(), t.rate(flops)));
            }
            System.out.println(line);
        }
    }
}
