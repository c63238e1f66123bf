package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;

/** torch.nn.GroupNorm: statistics over contiguous channel groups and all spatial positions. */
public final class GroupNorm {
    public final NDArray weight;
    public final NDArray bias;
    private final int groups;
    private final float eps;

    public GroupNorm(Weights w, int groups, long channels, float eps) {
        if (channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels do not split into " + groups + " groups");
        }
        this.weight = w.get("weight", channels);
        this.bias = w.get("bias", channels);
        this.groups = groups;
        this.eps = eps;
    }

    public NDArray forward(NDArray x) {
        long[] shape = x.getShape().getShape();
        long b = shape[0];
        long c = shape[1];
        NDArray grouped = x.reshape(b, groups, -1);
        NDArray mean = grouped.mean(new int[] {2}, true);
        NDArray centered = grouped.sub(mean);
        NDArray variance = centered.square().mean(new int[] {2}, true);
        NDArray normed = centered.div(variance.add(eps).sqrt()).reshape(x.getShape());
        long[] affine = new long[shape.length];
        java.util.Arrays.fill(affine, 1);
        affine[1] = c;
        return normed.mul(weight.reshape(affine)).add(bias.reshape(affine));
    }
}
