package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.nn.torchscript.FusedKernels;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * torch.nn.GroupNorm: statistics over contiguous channel groups and all spatial positions.
 * libtorch's group_norm does it in one pass where the fused kernels are reachable. DJL has no
 * group_norm, so otherwise the statistics come from libtorch's fused layer_norm over
 * [B, groups, C/groups * H * W] (identity affine), then the per-channel affine is applied.
 */
public final class GroupNorm {
    /** Identity affine vectors of layer_norm, one pair per normalised length; shared, never freed. */
    private static final NDManager UNIT_MANAGER = NDManager.newBaseManager();
    private static final Map<Long, NDArray[]> UNIT_AFFINE = new ConcurrentHashMap<>();

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
        if (FusedKernels.available(x)) {
            return FusedKernels.groupNorm(x, groups, weight, bias, eps, false);
        }
        return byLayerNorm(x);
    }

    /** silu(forward(x)), the pair every ResnetBlock2D runs: in place on the fresh output where fused. */
    public NDArray forwardSilu(NDArray x) {
        if (FusedKernels.available(x)) {
            return FusedKernels.groupNorm(x, groups, weight, bias, eps, true);
        }
        return Activations.silu(byLayerNorm(x));
    }

    private NDArray byLayerNorm(NDArray x) {
        long[] shape = x.getShape().getShape();
        long n = x.getShape().size() / (shape[0] * groups);
        NDArray[] unit = unitAffine(n, x);
        NDArray normed = ai.djl.nn.norm.LayerNorm.layerNorm(x.reshape(shape[0], groups, n), new Shape(n),
                unit[0], unit[1], eps).singletonOrThrow().reshape(x.getShape());
        long[] affine = new long[shape.length];
        java.util.Arrays.fill(affine, 1);
        affine[1] = shape[1];
        return normed.mul(weight.reshape(affine)).add(bias.reshape(affine));
    }

    private static NDArray[] unitAffine(long n, NDArray like) {
        if (!like.getDevice().equals(UNIT_MANAGER.getDevice()) || like.getDataType() != DataType.FLOAT32) {
            NDManager m = like.getManager();
            return new NDArray[] {m.ones(new Shape(n), like.getDataType()), m.zeros(new Shape(n), like.getDataType())};
        }
        return UNIT_AFFINE.computeIfAbsent(n, k -> {
            NDArray ones = UNIT_MANAGER.ones(new Shape(k));
            NDArray zeros = UNIT_MANAGER.zeros(new Shape(k));
            NDScope.unregister(ones, zeros);
            return new NDArray[] {ones, zeros};
        });
    }
}
