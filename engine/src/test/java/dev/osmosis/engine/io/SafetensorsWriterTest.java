package dev.osmosis.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafetensorsWriterTest {
    @TempDir
    Path dir;

    @Test
    void floatsLongsAndMetadataRoundTripThroughSafetensorsFile() {
        Path file = dir.resolve("round.safetensors");
        float[] w = {1.5f, -2f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, -0f};
        long[] ids = {Long.MIN_VALUE, -1, 0, 49407};
        SafetensorsWriter.create()
                .put("w", new long[] {2, 3}, w)
                .putLongs("ids", new long[] {4}, ids)
                .put("scalar", new long[] {}, new float[] {7f})
                .put("empty", new long[] {0, 5}, new float[0])
                .metadata("format", "pt")
                .metadata("note", "ünïcødé \"quoted\"\n")
                .write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt", "note", "ünïcødé \"quoted\"\n"), st.metadata());
            assertEquals(DType.F32, st.info("w").dtype());
            assertArrayEquals(new long[] {2, 3}, st.info("w").shape());
            assertArrayEquals(w, st.floats("w"));
            assertEquals(DType.I64, st.info("ids").dtype());
            assertArrayEquals(ids, st.longs("ids"));
            assertArrayEquals(new float[] {7f}, st.floats("scalar"));
            assertArrayEquals(new long[] {0, 5}, st.info("empty").shape());
            // tensors are laid out in name order
            assertEquals(List.of("empty", "ids", "scalar", "w"), st.tensors().values().stream()
                    .sorted((a, b) -> Long.compare(a.begin(), b.begin())).map(TensorInfo::name).toList());
        }
    }

    @Test
    void headerIsPaddedWithSpacesToAMultipleOfEight() throws IOException {
        Path file = dir.resolve("pad.safetensors");
        SafetensorsWriter.create().put("a", new long[] {1}, new float[] {1}).write(file);
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, n % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", header.stripTrailing());
        assertTrue(header.substring(header.stripTrailing().length()).chars().allMatch(c -> c == ' '));
        assertEquals(8 + n + 4, bytes.length);
    }

    /** The fixture's component files were written by the reference library: same tensors in, same bytes out. */
    @ParameterizedTest
    @ValueSource(strings = {"text_encoder/model.safetensors", "vae/diffusion_pytorch_model.safetensors",
            "unet/diffusion_pytorch_model.safetensors", "reference/tokenizer.safetensors"})
    void rewritingAReferenceFileGivesTheSameBytes(String fixture) throws IOException {
        Path original = Fixtures.tinySd1().resolve(fixture);
        Path copy = dir.resolve("copy.safetensors");
        SafetensorsWriter writer = SafetensorsWriter.create();
        try (SafetensorsFile st = SafetensorsFile.open(original)) {
            st.metadata().forEach(writer::metadata);
            for (TensorInfo t : st.tensors().values()) {
                if (t.dtype() == DType.F32) {
                    writer.put(t.name(), t.shape(), st.floats(t.name()));
                } else {
                    writer.putLongs(t.name(), t.shape(), st.longs(t.name()));
                }
            }
        }
        writer.write(copy);
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy));
    }

    @Test
    void ndArraysAreStoredAsF32OrI64() {
        Path file = dir.resolve("nd.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray half = manager.create(new float[] {0.5f, 1.25f, -3f, 4f}, new Shape(2, 2)).toType(DataType.FLOAT16, false);
            NDArray ints = manager.create(new int[] {1, -2, 3});
            SafetensorsWriter.create().put("half", half).put("ints", ints).write(file);
        }
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(DType.F32, st.info("half").dtype());
            assertArrayEquals(new long[] {2, 2}, st.info("half").shape());
            assertArrayEquals(new float[] {0.5f, 1.25f, -3f, 4f}, st.floats("half"));
            assertEquals(DType.I64, st.info("ints").dtype());
            assertArrayEquals(new long[] {1, -2, 3}, st.longs("ints"));
        }
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.writeString(file, "old contents");
        SafetensorsWriter.create().put("a", new long[] {2}, new float[] {1, 2}).write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[] {1, 2}, st.floats("a"));
        }
        assertEquals(List.of(file), list(dir));
    }

    @Test
    void diskFullLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.create().put("a", new long[] {2}, new float[] {1, 2}).write(file);
        byte[] before = Files.readAllBytes(file);

        SafetensorsWriter big = SafetensorsWriter.create().put("b", new long[] {1 << 20}, new float[1 << 20]);
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> big.write(file, channel -> new FullDisk(channel, 3_000_000)));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), list(dir));
    }

    @Test
    void failedFirstWriteCreatesNoFile() throws IOException {
        Path file = dir.resolve("new.safetensors");
        assertThrows(UncheckedIOException.class, () -> SafetensorsWriter.create()
                .put("a", new long[] {1}, new float[] {1}).write(file, channel -> new FullDisk(channel, 10)));
        assertEquals(List.of(), list(dir));
    }

    @Test
    void targetThatIsAFolderFailsNamingItAndLeavesNoTemporaryFile() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("taken.safetensors"));
        Files.writeString(folder.resolve("inside"), "x");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> SafetensorsWriter.create().put("a", new long[] {1}, new float[] {1}).write(folder));
        assertTrue(e.getMessage().contains(folder.toString()), e.getMessage());
        assertEquals(List.of(folder), list(dir));
    }

    @Test
    void missingFolderFailsNamingTheFile() {
        Path file = dir.resolve("no/such/folder/x.safetensors");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> SafetensorsWriter.create().put("a", new long[] {1}, new float[] {1}).write(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void inconsistentTensorsAreRejectedWhenAdded() {
        SafetensorsWriter w = SafetensorsWriter.create().put("a", new long[] {1}, new float[] {1});
        assertThrows(IllegalArgumentException.class, () -> w.put("a", new long[] {1}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> w.put("b", new long[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> w.put("c", new long[] {-1}, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> w.put("__metadata__", new long[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> w.putLongs("", new long[] {1}, new long[1]));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** A channel that fails like a full disk once {@code capacity} bytes were written. */
    private static final class FullDisk implements WritableByteChannel {
        private final WritableByteChannel inner;
        private long left;

        FullDisk(WritableByteChannel inner, long capacity) {
            this.inner = inner;
            this.left = capacity;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (src.remaining() > left) {
                throw new IOException("No space left on device");
            }
            int n = inner.write(src);
            left -= n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
