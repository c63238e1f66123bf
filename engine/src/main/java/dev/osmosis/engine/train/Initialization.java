package dev.osmosis.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.nn.Weights;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Starting weights for training from scratch, requested by the modules as they are built:
 * <ul>
 *   <li>matrices and kernels: PyTorch's default, U(-1/sqrt(fan_in), 1/sqrt(fan_in))
 *       (kaiming_uniform with a = sqrt(5)); biases 0; norm gains 1;</li>
 *   <li>the last layer of each residual branch (a resnet's conv2, a transformer's proj_out, the
 *       UNet's conv_out) zero, so every block starts as the identity (Dhariwal and Nichol 2021's
 *       zero_module; Goyal et al. 2017 for the residual case);</li>
 *   <li>token and position embeddings N(0, 0.02) and N(0, 0.01), CLIP's initialiser.</li>
 * </ul>
 * Which tensors exist follows the SD family: the UNet's attention q/k/v have no bias, the VAE's and
 * CLIP's do. Seeded, so the same recipe starts from the same weights.
 */
public final class Initialization implements Weights.Generator {
    private final NDManager manager;
    private final SplittableRandom random;
    private final boolean zeroResidualBranches;

    public Initialization(NDManager manager, long seed, boolean zeroResidualBranches) {
        this.manager = manager;
        this.random = new SplittableRandom(seed);
        this.zeroResidualBranches = zeroResidualBranches;
    }

    public static Weights weights(String name, NDManager manager, long seed) {
        return Weights.generated(name, new Initialization(manager, seed, true));
    }

    @Override
    public boolean has(String key) {
        boolean unetAttention = key.contains("transformer_blocks.");
        return !(unetAttention
                && (key.endsWith("to_q.bias") || key.endsWith("to_k.bias") || key.endsWith("to_v.bias")));
    }

    @Override
    public NDArray create(String key, long[] shape) {
        int size = Math.toIntExact(new Shape(shape).size());
        float[] values = new float[size];
        if (key.endsWith("token_embedding.weight")) {
            gaussian(values, 0.02);
        } else if (key.endsWith("position_embedding.weight")) {
            gaussian(values, 0.01);
        } else if (shape.length >= 2) {
            if (!(zeroResidualBranches && isResidualOutput(key))) {
                double bound = 1 / Math.sqrt((double) size / shape[0]);
                for (int i = 0; i < size; i++) {
                    values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                }
            }
        } else if (isNormGain(key)) {
            Arrays.fill(values, 1f);
        }
        return Weights.toArray(manager, values, shape);
    }

    /** The layers whose output is added onto a residual stream (or is the UNet's output). */
    static boolean isResidualOutput(String key) {
        return key.endsWith(".conv2.weight") && key.contains("resnets.") && !key.startsWith("encoder.")
                && !key.startsWith("decoder.")
                || key.endsWith("proj_out.weight")
                || key.equals("conv_out.weight");
    }

    private void gaussian(float[] values, double std) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
    }

    private static boolean isNormGain(String key) {
        if (!key.endsWith(".weight")) {
            return false;
        }
        String module = key.substring(0, key.length() - ".weight".length());
        String last = module.substring(module.lastIndexOf('.') + 1);
        return last.startsWith("norm") || last.contains("layer_norm") || last.equals("conv_norm_out")
                || last.equals("group_norm");
    }
}
