package dev.osmosis.engine.io;

/** Element types a safetensors file may hold, with their size in bytes. */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    public final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public boolean isFloat() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }
}
