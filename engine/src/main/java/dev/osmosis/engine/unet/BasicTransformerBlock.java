package dev.osmosis.engine.unet;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.nn.Attention;
import dev.osmosis.engine.nn.LayerNorm;
import dev.osmosis.engine.nn.Weights;

/**
 * diffusers' BasicTransformerBlock on [B, HW, C] tokens, pre-LayerNorm:
 * x += attn1(norm1 x) (self); x += attn2(norm2 x, text) (cross); x += ff(norm3 x).
 */
final class BasicTransformerBlock {
    private static final float LAYER_NORM_EPS = 1e-5f;

    final Attention attn1;
    final Attention attn2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final LayerNorm norm3;
    private final FeedForward ff;

    BasicTransformerBlock(Weights w, long dim, int heads, long contextDim) {
        this.norm1 = new LayerNorm(w.sub("norm1"), dim, LAYER_NORM_EPS);
        this.attn1 = new Attention(w.sub("attn1"), dim, dim, dim, heads);
        this.norm2 = new LayerNorm(w.sub("norm2"), dim, LAYER_NORM_EPS);
        this.attn2 = new Attention(w.sub("attn2"), dim, contextDim, dim, heads);
        this.norm3 = new LayerNorm(w.sub("norm3"), dim, LAYER_NORM_EPS);
        this.ff = new FeedForward(w.sub("ff"), dim);
    }

    NDArray forward(NDArray x, NDArray context) {
        x = x.add(attn1.forward(norm1.forward(x), null));
        x = x.add(attn2.forward(norm2.forward(x), context));
        return x.add(ff.forward(norm3.forward(x)));
    }
}
