package dev.osmosis.engine.unet;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.nn.ResnetBlock2D;

/**
 * A resnet and, in cross-attention blocks, the spatial transformer after it: the unit of the UNet that
 * produces one skip connection on the way down or consumes one on the way up.
 */
final class UNetLayer {
    final ResnetBlock2D resnet;
    /** null in DownBlock2D / UpBlock2D. */
    final Transformer2DModel attention;

    UNetLayer(ResnetBlock2D resnet, Transformer2DModel attention) {
        this.resnet = resnet;
        this.attention = attention;
    }

    NDArray forward(NDArray h, NDArray temb, NDArray context) {
        h = resnet.forward(h, temb);
        return attention == null ? h : attention.forward(h, context);
    }
}
