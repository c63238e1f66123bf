package dev.osmosis.engine.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Constant factors as 0-d tensors that live as long as the process, for products that autograd
 * records. DJL's {@code x.mul(0.5f)} makes a 0-d tensor over a Java buffer, multiplies, and closes
 * it at once; autograd keeps that tensor for the backward pass, which then reads memory the
 * collector may have freed (measured: micro training runs diverging from identical ones whenever a
 * collection fell between forward and backward). Inference is unaffected: without autograd nothing
 * keeps the factor.
 */
public final class Scalars {
    private static final NDManager MANAGER = NDManager.newBaseManager();
    private static final Map<String, NDArray> CACHE = new ConcurrentHashMap<>();

    private Scalars() {}

    /** The factor {@code value} as a float32 0-d tensor on {@code like}'s device. */
    public static NDArray of(float value, NDArray like) {
        Device device = like.getDevice();
        return CACHE.computeIfAbsent(Float.floatToIntBits(value) + "@" + device, k -> {
            NDArray owned = OwnedTensors.of(MANAGER, new float[] {value}).toDevice(device, false);
            NDScope.unregister(owned);
            return owned;
        });
    }
}
