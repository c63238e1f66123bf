package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * Tensors made from Java arrays whose memory libtorch owns. DJL's {@code create} and {@code set}
 * from a Java array give a tensor over a direct ByteBuffer that only the Java wrapper keeps alive;
 * measured here, with a collector running often, micro training runs that should have been
 * identical diverged (most of the parameters differed after two steps), and they stopped diverging
 * once weights, step inputs and restored state were copies libtorch allocated itself.
 */
public final class OwnedTensors {
    private static final NDIndex ALL = new NDIndex("...");

    private OwnedTensors() {}

    public static NDArray of(NDManager manager, float[] data, long... shape) {
        return own(manager.create(FloatBuffer.wrap(data), new Shape(shape), DataType.FLOAT32));
    }

    public static NDArray of(NDManager manager, long[] data, long... shape) {
        return own(manager.create(LongBuffer.wrap(data), new Shape(shape), DataType.INT64));
    }

    /** Overwrites {@code target}'s values in place (its storage and autograd identity stay). */
    public static void assign(NDArray target, float[] values) {
        try (NDArray source = of(target.getManager(), values, target.getShape().getShape())) {
            target.set(ALL, source);
        }
    }

    private static NDArray own(NDArray view) {
        NDArray owned = view.duplicate();
        view.close();
        return owned;
    }
}
