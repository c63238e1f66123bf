package dev.osmosis.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.sched.NoiseSource;
import java.nio.FloatBuffer;
import java.util.Random;

/**
 * Gaussian noise from one generator per image (seed, seed+1, ... as A1111 numbers a batch), so
 * image k of a batch is reproduced alone with seed+k. java.util.Random's algorithm is fixed by its
 * specification, so the noise is the same on every machine and JDK.
 */
public final class SeededNoise implements NoiseSource {
    private final Random[] generators;

    public SeededNoise(long seed, int batch) {
        generators = new Random[batch];
        for (int i = 0; i < batch; i++) {
            generators[i] = new Random(seed + i);
        }
    }

    @Override
    public NDArray next(NDArray like) {
        return draw(like.getManager(), like.getShape());
    }

    /** A [batch, ...] draw; each image's slice comes from its own generator. */
    public NDArray draw(ai.djl.ndarray.NDManager manager, Shape shape) {
        long perImage = shape.size() / generators.length;
        if (shape.get(0) != generators.length || perImage * generators.length != shape.size()) {
            throw new IllegalArgumentException("noise shape " + shape + " does not match batch " + generators.length);
        }
        float[] values = new float[Math.toIntExact(shape.size())];
        int k = 0;
        for (Random g : generators) {
            for (long j = 0; j < perImage; j++) {
                values[k++] = (float) g.nextGaussian();
            }
        }
        return manager.create(FloatBuffer.wrap(values), shape, DataType.FLOAT32);
    }
}
