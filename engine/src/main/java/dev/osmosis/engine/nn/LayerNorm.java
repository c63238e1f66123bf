package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** torch.nn.LayerNorm over the last dimension. */
public final class LayerNorm {
    public final NDArray weight;
    public final NDArray bias;
    private final float eps;

    public LayerNorm(Weights w, long dim, float eps) {
        this.weight = w.get("weight", dim);
        this.bias = w.get("bias", dim);
        this.eps = eps;
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, new Shape(weight.getShape().get(0)), weight, bias, eps)
                .singletonOrThrow();
    }
}
