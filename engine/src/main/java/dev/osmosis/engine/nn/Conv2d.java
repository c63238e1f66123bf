package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.nn.torchscript.FusedKernels;

/**
 * 2-D convolution over NCHW with square kernel, stride and symmetric zero padding. Where the fused
 * kernels are reachable it runs through them: the input made contiguous first (a channels-last map
 * from a transformer block would make libtorch re-lay the weights on every call), and under
 * {@link Precision#BF16} in bfloat16.
 *
 * <p>Under autograd a convolution whose output channels are not a multiple of
 * {@link #TRAINED_CHANNEL_MULTIPLE} runs with zero filters added up to the next multiple: on an AMD
 * EPYC, libtorch 2.7.1's oneDNN backward returns wrong input gradients for such convolutions (3x3
 * with 3, 4, 8, 17 or 24 outputs under AVX-512, with 3, 4 or 17 outputs even under
 * ONEDNN_MAX_CPU_ISA=AVX2; ConvolutionGradientCheck), among them the UNet's and the VAE decoder's
 * output layers, whose input gradient every other gradient depends on. The errors change with what
 * lies in memory, as if a vector kernel read past the last filter block. Zero filters change
 * neither the output nor any gradient.
 */
public final class Conv2d {
    public static final int TRAINED_CHANNEL_MULTIPLE = 16;

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
        NDArray y;
        if (FusedKernels.available(x)) {
            y = FusedKernels.conv2d(x, weight, bias, stride, padding, Precision.current() == Precision.BF16);
        } else if (out() % TRAINED_CHANNEL_MULTIPLE != 0 && Autograd.isRecording(x)) {
            y = paddedForward(x);
        } else {
            y = conv2d(x, weight, bias);
        }
        // 2 x (outputs) x (in x k x k) multiply-adds
        FlopCounter.add(2 * y.getShape().size() * (weight.getShape().size() / weight.getShape().get(0)));
        return y;
    }

    private NDArray conv2d(NDArray x, NDArray w, NDArray b) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, new Shape(stride, stride),
                new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
    }

    /** The convolution with zero filters added up to a multiple of TRAINED_CHANNEL_MULTIPLE, then cut off. */
    private NDArray paddedForward(NDArray x) {
        NDManager m = x.getManager();
        Shape shape = weight.getShape();
        long missing = TRAINED_CHANNEL_MULTIPLE - out() % TRAINED_CHANNEL_MULTIPLE;
        NDArray w = concat(weight, m.zeros(new Shape(missing, shape.get(1), shape.get(2), shape.get(3)),
                weight.getDataType()));
        NDArray b = bias == null ? null : concat(bias, m.zeros(new Shape(missing), bias.getDataType()));
        return conv2d(x, w, b).get(new NDIndex(":, 0:{}", out()));
    }

    private static NDArray concat(NDArray parameter, NDArray zeros) {
        NDArray joined = NDArrays.concat(new NDList(parameter, zeros), 0);
        // the parameter lives as long as the model; the padded copy only as long as this call
        joined.attach(zeros.getManager());
        return joined;
    }
}
