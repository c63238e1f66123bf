package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Weights drawn on request for models built without a checkpoint (benchmarks, training from
 * scratch): matrices and kernels N(0, 1/fan_in) as PyTorch's default initialisers scale them, norm
 * gains 1, biases 0. Seeded, so the same model comes back for the same seed.
 */
public final class RandomWeights implements Weights.Generator {
    private final NDManager manager;
    private final SplittableRandom random;

    public RandomWeights(NDManager manager, long seed) {
        this.manager = manager;
        this.random = new SplittableRandom(seed);
    }

    public static Weights of(String name, NDManager manager, long seed) {
        return Weights.generated(name, new RandomWeights(manager, seed));
    }

    @Override
    public NDArray create(String key, long[] shape) {
        long size = new Shape(shape).size();
        float[] values = new float[Math.toIntExact(size)];
        if (shape.length >= 2) {
            double std = 1 / Math.sqrt((double) size / shape[0]);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * std);
            }
        } else if (isNormGain(key)) {
            java.util.Arrays.fill(values, 1f);
        }
        return Weights.toArray(manager, values, shape);
    }

    /** The SD family's attention projections q, k, v have no bias; everything else that asks has one. */
    @Override
    public boolean has(String key) {
        return !(key.endsWith("to_q.bias") || key.endsWith("to_k.bias") || key.endsWith("to_v.bias"));
    }

    private static boolean isNormGain(String key) {
        String module = key.substring(0, Math.max(0, key.lastIndexOf('.')));
        String last = module.substring(module.lastIndexOf('.') + 1);
        return key.endsWith(".weight") && (last.startsWith("norm") || last.contains("layer_norm")
                || last.equals("conv_norm_out") || last.startsWith("ln"));
    }
}
