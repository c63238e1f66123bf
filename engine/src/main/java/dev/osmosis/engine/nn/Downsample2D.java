package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * 3x3 stride-2 convolution. The UNet pads 1 on every side; the VAE encoder pads only right and
 * bottom by one (padding 0 in the conv), as in the LDM original.
 */
public final class Downsample2D {
    private final Conv2d conv;
    private final boolean asymmetricPad;

    public Downsample2D(Weights w, long channels, boolean asymmetricPad) {
        this.conv = new Conv2d(w.sub("conv"), channels, channels, 3, 2, asymmetricPad ? 0 : 1);
        this.asymmetricPad = asymmetricPad;
    }

    public NDArray forward(NDArray x) {
        if (asymmetricPad) {
            // pad widths are given from the last dimension: (left, right, top, bottom)
            x = x.pad(new Shape(0, 1, 0, 1), 0);
        }
        return conv.forward(x);
    }
}
