package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;

/**
 * diffusers' {@code Attention} on token sequences [B, N, C]: to_q/to_k/to_v projections,
 * multi-head scaled dot product, to_out.0. Self-attention when {@code context} is null.
 */
public final class Attention {
    public final Linear toQ;
    public final Linear toK;
    public final Linear toV;
    public final Linear toOut;
    public final int heads;

    public Attention(Weights w, long queryDim, long contextDim, long innerDim, int heads) {
        this.toQ = new Linear(w.sub("to_q"), queryDim, innerDim, w.has("to_q.bias"));
        this.toK = new Linear(w.sub("to_k"), contextDim, innerDim, w.has("to_k.bias"));
        this.toV = new Linear(w.sub("to_v"), contextDim, innerDim, w.has("to_v.bias"));
        this.toOut = new Linear(w.sub("to_out.0"), innerDim, queryDim, true);
        this.heads = heads;
    }

    public NDArray forward(NDArray x, NDArray context) {
        NDArray kv = context == null ? x : context;
        NDArray q = toQ.forward(x);
        NDArray k = toK.forward(kv);
        NDArray v = toV.forward(kv);
        return toOut.forward(ScaledDotProductAttention.attend(q, k, v, heads, null));
    }
}
