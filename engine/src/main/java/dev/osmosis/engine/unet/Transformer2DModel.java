package dev.osmosis.engine.unet;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.nn.Conv2d;
import dev.osmosis.engine.nn.GroupNorm;
import dev.osmosis.engine.nn.Linear;
import dev.osmosis.engine.nn.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * A spatial transformer (LDM's SpatialTransformer, diffusers' Transformer2DModel): the feature map
 * becomes HW tokens, runs through transformer blocks with cross-attention to the text, and is added
 * back to the input. SD1 projects in and out with 1x1 convolutions on the map; SD2
 * ({@code use_linear_projection}) with Linear layers on the tokens. Both are the same matrix.
 */
final class Transformer2DModel {
    private static final float NORM_EPS = 1e-6f;

    private final GroupNorm norm;
    private final Linear projIn;
    private final Linear projOut;
    final List<BasicTransformerBlock> blocks = new ArrayList<>();

    /** @param w the weights under e.g. {@code down_blocks.0.attentions.1} */
    Transformer2DModel(Weights w, long channels, int heads, int depth, long contextDim, int groups,
            boolean linearProjection) {
        this.norm = new GroupNorm(w.sub("norm"), groups, channels, NORM_EPS);
        this.projIn = projection(w.sub("proj_in"), channels, linearProjection);
        this.projOut = projection(w.sub("proj_out"), channels, linearProjection);
        for (int i = 0; i < depth; i++) {
            blocks.add(new BasicTransformerBlock(w.sub("transformer_blocks", i), channels, heads, contextDim));
        }
    }

    /** A 1x1 convolution is a Linear over channels: keep one code path with the kernel reshaped. */
    private static Linear projection(Weights w, long channels, boolean linear) {
        if (linear) {
            return new Linear(w, channels, channels, true);
        }
        Conv2d conv = Conv2d.pointwise(w, channels, channels);
        return new Linear(conv.weight.reshape(channels, channels), conv.bias);
    }

    /**
     * @param x [B, C, H, W]
     * @param context [B, T, D] text conditioning
     */
    NDArray forward(NDArray x, NDArray context) {
        long[] s = x.getShape().getShape();
        long b = s[0];
        long c = s[1];
        long h = s[2];
        long w = s[3];
        NDArray tokens = norm.forward(x).reshape(b, c, h * w).transpose(0, 2, 1);
        tokens = projIn.forward(tokens);
        for (BasicTransformerBlock block : blocks) {
            tokens = block.forward(tokens, context);
        }
        tokens = projOut.forward(tokens);
        return tokens.transpose(0, 2, 1).reshape(b, c, h, w).add(x);
    }
}
