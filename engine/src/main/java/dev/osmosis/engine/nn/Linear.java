package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.nn.torchscript.FusedKernels;

/**
 * y = x W^T + b over the last dimension (torch.nn.Linear). Where the fused kernels are reachable,
 * fp32 runs through oneDNN's inner product (libtorch's own linear calls MKL's sgemm, well below
 * this kind of CPU's peak) and {@link Precision#BF16} in bfloat16 inside libtorch.
 */
public final class Linear {
    public final NDArray weight;
    public final NDArray bias;

    public Linear(Weights w, long in, long out, boolean hasBias) {
        this.weight = w.get("weight", out, in);
        this.bias = hasBias ? w.get("bias", out) : null;
    }

    public Linear(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    public long in() {
        return weight.getShape().get(1);
    }

    public long out() {
        return weight.getShape().get(0);
    }

    public NDArray forward(NDArray x) {
        FlopCounter.add(2 * (x.getShape().size() / in()) * in() * out());
        if (Precision.current() == Precision.BF16 && FusedKernels.available(x)) {
            return FusedKernels.linearBf16(x, weight, bias);
        }
        if (FusedKernels.oneDnnAvailable(x)) {
            return FusedKernels.linearOneDnn(x, weight, bias);
        }
        return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
    }
}
