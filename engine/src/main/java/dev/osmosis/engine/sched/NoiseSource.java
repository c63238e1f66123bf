package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Where samplers get fresh Gaussian noise: the request's seeded generator, or stored draws in tests. */
@FunctionalInterface
public interface NoiseSource {
    /** A new N(0, 1) float32 array shaped like {@code like}, on its manager. */
    NDArray next(NDArray like);

    static NoiseSource none() {
        return like -> {
            throw new IllegalStateException("this sampler asked for noise but none was provided");
        };
    }

    default Shape shapeOf(NDArray like) {
        return like.getShape();
    }
}
