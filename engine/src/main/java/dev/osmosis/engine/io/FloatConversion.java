package dev.osmosis.engine.io;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/** Widening of stored float types to float32, done in Java (DJL cannot hold bf16 arrays). */
final class FloatConversion {
    private FloatConversion() {}

    static float[] toFloat32(Path path, TensorInfo info, ByteBuffer b) {
        int n = Math.toIntExact(info.elementCount());
        float[] out = new float[n];
        switch (info.dtype()) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(b.getShort(i * 2));
                }
            }
            // bf16 is the upper half of a float32
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                }
            }
            default -> throw new SafetensorsException(path, "tensor '" + info.name() + "' is " + info.dtype()
                    + ", expected a float type");
        }
        return out;
    }
}
