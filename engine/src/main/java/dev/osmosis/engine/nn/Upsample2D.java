package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;

/** Nearest-neighbour x2 (or to a given size, for odd skip shapes) followed by a 3x3 convolution. */
public final class Upsample2D {
    private final Conv2d conv;

    public Upsample2D(Weights w, long channels) {
        this.conv = Conv2d.same3x3(w.sub("conv"), channels, channels);
    }

    public NDArray forward(NDArray x, long[] size) {
        long[] s = x.getShape().getShape();
        long[] target = size != null ? size : new long[] {s[2] * 2, s[3] * 2};
        // mode 0 = nearest in DJL's PyTorch interpolate
        NDArray up = x.getNDArrayInternal().interpolation(target, 0, false);
        return conv.forward(up);
    }
}
