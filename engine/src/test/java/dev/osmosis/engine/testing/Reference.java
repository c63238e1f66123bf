package dev.osmosis.engine.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.io.SafetensorsFile;
import dev.osmosis.engine.io.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;

/**
 * A reference output file of the Python implementation, and the element-wise tolerance check
 * |a - b| <= atol + rtol * |ref| that reference/README.md defines.
 */
public final class Reference implements AutoCloseable {
    public static final double UNIT_ATOL = 1e-4;
    public static final double UNIT_RTOL = 1e-3;
    public static final double PIPELINE_ATOL = 5e-4;
    public static final double PIPELINE_RTOL = 2e-3;

    private final SafetensorsFile file;

    public Reference(Path path) {
        this.file = SafetensorsFile.open(path);
    }

    public static Reference of(String name) {
        return new Reference(Fixtures.reference(name));
    }

    public boolean has(String key) {
        return file.contains(key);
    }

    public long[] shape(String key) {
        return file.info(key).shape();
    }

    public float[] floats(String key) {
        return file.floats(key);
    }

    public long[] longs(String key) {
        return file.longs(key);
    }

    public float scalar(String key) {
        TensorInfo info = file.info(key);
        return info.dtype().isFloat() ? file.floats(key)[0] : file.longs(key)[0];
    }

    public NDArray array(NDManager manager, String key) {
        TensorInfo info = file.info(key);
        if (info.dtype().isFloat()) {
            return manager.create(FloatBuffer.wrap(file.floats(key)), new Shape(info.shape()), DataType.FLOAT32);
        }
        return manager.create(LongBuffer.wrap(file.longs(key)), new Shape(info.shape()), DataType.INT64);
    }

    public void assertClose(String key, NDArray actual, double atol, double rtol) {
        assertArrayEquals(shape(key), actual.getShape().getShape(), key + ": shape");
        assertClose(key, actual.toType(DataType.FLOAT32, false).toFloatArray(), atol, rtol);
    }

    public void assertClose(String key, float[] actual, double atol, double rtol) {
        float[] expected = floats(key);
        if (expected.length != actual.length) {
            fail(key + ": " + actual.length + " elements, expected " + expected.length);
        }
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            double allowed = atol + rtol * Math.abs(expected[i]);
            if (!(err <= allowed) && (worstAt < 0 || err / allowed > worst)) {
                worst = err / allowed;
                worstAt = i;
            }
        }
        if (worstAt >= 0) {
            fail(String.format("%s: element %d is %.7g, reference %.7g (%.2fx the tolerance)",
                    key, worstAt, actual[worstAt], expected[worstAt], worst));
        }
    }

    @Override
    public void close() {
        file.close();
    }
}
