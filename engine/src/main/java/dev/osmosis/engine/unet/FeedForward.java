package dev.osmosis.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.osmosis.engine.nn.Activations;
import dev.osmosis.engine.nn.Linear;
import dev.osmosis.engine.nn.Weights;

/**
 * The transformer MLP with a GEGLU gate (Shazeer 2020, "GLU Variants Improve Transformer"):
 * [h, gate] = proj(x); out = net.2(h * gelu(gate)), inner width 4 x dim.
 */
final class FeedForward {
    private final Linear proj;
    private final Linear out;

    /** @param w the weights under {@code ff} */
    FeedForward(Weights w, long dim) {
        long inner = dim * 4;
        this.proj = new Linear(w.sub("net.0.proj"), dim, inner * 2, true);
        this.out = new Linear(w.sub("net.2"), inner, dim, true);
    }

    NDArray forward(NDArray x) {
        NDList halves = proj.forward(x).split(2, x.getShape().dimension() - 1);
        return out.forward(halves.get(0).mul(Activations.gelu(halves.get(1))));
    }
}
