package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;

/** y = x W^T + b over the last dimension (torch.nn.Linear). */
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
        return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
    }
}
