package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.nn.torchscript.FusedKernels;

/**
 * 2-D convolution over NCHW with square kernel, stride and symmetric zero padding. Where the fused
 * kernels are reachable it runs through them: the input made contiguous first (a channels-last map
 * from a transformer block would make libtorch re-lay the weights on every call), and under
 * {@link Precision#BF16} in bfloat16.
 */
public final class Conv2d {
    public final NDArray weight;
    public final NDArray bias;
    private final int stride;
    private final int padding;

    public Conv2d(Weights w, long in, long out, int kernel, int stride, int padding) {
        this.weight = w.get("weight", out, in, kernel, kernel);
        this.bias = w.has("bias") ? w.get("bias", out) : null;
        this.stride = stride;
        this.padding = padding;
    }

    /** The usual 3x3, stride 1, padding 1. */
    public static Conv2d same3x3(Weights w, long in, long out) {
        return new Conv2d(w, in, out, 3, 1, 1);
    }

    public static Conv2d pointwise(Weights w, long in, long out) {
        return new Conv2d(w, in, out, 1, 1, 0);
    }

    public long out() {
        return weight.getShape().get(0);
    }

    public NDArray forward(NDArray x) {
        NDArray y = FusedKernels.available(x)
                ? FusedKernels.conv2d(x, weight, bias, stride, padding, Precision.current() == Precision.BF16)
                : ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias, new Shape(stride, stride),
                        new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
        // 2 x (outputs) x (in x k x k) multiply-adds
        FlopCounter.add(2 * y.getShape().size() * (weight.getShape().size() / weight.getShape().get(0)));
        return y;
    }
}
