package dev.osmosis.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterF16Test {
    @Test
    void halvesRoundTripAtHalfPrecisionBesideOtherTypes(@TempDir Path dir) {
        // an odd count of 2-byte values, then 4- and 8-byte ones across the 1 MiB write chunk
        float[] halves = new float[300_001];
        for (int i = 0; i < halves.length; i++) {
            halves[i] = (float) Math.sin(i) * 100;
        }
        float[] floats = new float[200_000];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = i * 0.5f;
        }
        long[] longs = {1, -2, 3};
        Path file = dir.resolve("mixed.safetensors");
        SafetensorsWriter.create().putF16("a", new long[] {halves.length}, halves)
                .put("b", new long[] {floats.length}, floats).putLongs("c", new long[] {3}, longs).write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(DType.F16, st.info("a").dtype());
            float[] back = st.floats("a");
            for (int i = 0; i < halves.length; i++) {
                assertEquals(Float.float16ToFloat(Float.floatToFloat16(halves[i])), back[i], 0f);
                assertEquals(halves[i], back[i], Math.abs(halves[i]) * 1e-3f + 1e-4f);
            }
            assertArrayEquals(floats, st.floats("b"));
            assertArrayEquals(longs, st.longs("c"));
        }
    }
}
