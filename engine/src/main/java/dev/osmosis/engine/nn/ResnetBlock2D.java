package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;

/**
 * diffusers ResnetBlock2D:
 * h = conv1(silu(norm1(x))) [+ time_emb_proj(silu(temb))]; h = conv2(silu(norm2(h)));
 * out = shortcut(x) + h, with a 1x1 conv_shortcut when the channel count changes.
 * The VAE's blocks have no time embedding ({@code tembChannels} = 0).
 */
public final class ResnetBlock2D {
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final Linear timeEmbProj;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d convShortcut;
    public final long outChannels;

    public ResnetBlock2D(Weights w, long in, long out, long tembChannels, int groups, float eps) {
        this.norm1 = new GroupNorm(w.sub("norm1"), groups, in, eps);
        this.conv1 = Conv2d.same3x3(w.sub("conv1"), in, out);
        this.timeEmbProj = tembChannels > 0 ? new Linear(w.sub("time_emb_proj"), tembChannels, out, true) : null;
        this.norm2 = new GroupNorm(w.sub("norm2"), groups, out, eps);
        this.conv2 = Conv2d.same3x3(w.sub("conv2"), out, out);
        this.convShortcut = in != out ? Conv2d.pointwise(w.sub("conv_shortcut"), in, out) : null;
        this.outChannels = out;
    }

    /** @param temb activated time embedding silu(emb) [B, T], or null for the VAE */
    public NDArray forward(NDArray x, NDArray temb) {
        NDArray h = conv1.forward(norm1.forwardSilu(x));
        if (timeEmbProj != null) {
            NDArray t = timeEmbProj.forward(temb);
            // h is conv1's fresh output, nobody else holds it: add in place, no [B, C, H, W] temporary
            h.addi(t.reshape(t.getShape().get(0), t.getShape().get(1), 1, 1));
        }
        h = conv2.forward(norm2.forwardSilu(h));
        NDArray shortcut = convShortcut == null ? x : convShortcut.forward(x);
        return h.addi(shortcut);
    }
}
