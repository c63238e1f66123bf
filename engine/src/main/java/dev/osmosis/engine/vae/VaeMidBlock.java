package dev.osmosis.engine.vae;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.nn.Attention;
import dev.osmosis.engine.nn.GroupNorm;
import dev.osmosis.engine.nn.ResnetBlock2D;
import dev.osmosis.engine.nn.Weights;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * diffusers' {@code UNetMidBlock2D} as the VAE builds it (no time embedding): resnets.0, then
 * single-head self-attention over the H*W positions with a GroupNorm in front and a residual
 * connection (attentions.0: group_norm, to_q/to_k/to_v, to_out.0), then resnets.1.
 * One head because the VAE sets attention_head_dim to the channel count.
 */
final class VaeMidBlock {
    private final ResnetBlock2D resnet0;
    private final GroupNorm attentionNorm;
    private final Attention attention;
    private final ResnetBlock2D resnet1;

    VaeMidBlock(Weights w, long channels, int groups) {
        this.resnet0 = new ResnetBlock2D(w.sub("resnets", 0), channels, channels, 0, groups, AutoencoderKL.NORM_EPS);
        Weights a = w.sub("attentions", 0);
        this.attentionNorm = new GroupNorm(a.sub("group_norm"), groups, channels, AutoencoderKL.NORM_EPS);
        this.attention = new Attention(a, channels, channels, channels, 1);
        this.resnet1 = new ResnetBlock2D(w.sub("resnets", 1), channels, channels, 0, groups, AutoencoderKL.NORM_EPS);
    }

    List<UnaryOperator<NDArray>> stages() {
        return List.of(x -> resnet0.forward(x, null), this::selfAttention, x -> resnet1.forward(x, null));
    }

    /** x + to_out(attention(group_norm(x))) with the pixels as tokens: [B, C, H, W] -> [B, H*W, C] and back. */
    private NDArray selfAttention(NDArray x) {
        long[] s = x.getShape().getShape();
        NDArray tokens = attentionNorm.forward(x).reshape(s[0], s[1], s[2] * s[3]).transpose(0, 2, 1);
        NDArray out = attention.forward(tokens, null).transpose(0, 2, 1).reshape(s[0], s[1], s[2], s[3]);
        return out.add(x);
    }
}
