package dev.osmosis.engine.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Writes named float32, float16 and int64 tensors plus string metadata as a .safetensors file, laid out as
 * the reference library lays it out: compact JSON header ({@code __metadata__} first) padded with
 * spaces to a multiple of 8 bytes, tensors in name order, data contiguous.
 *
 * <p>The write is atomic: the bytes go to a temporary file in the target's folder, are forced to
 * disk, then renamed over the target. A failure (disk full, permission) leaves any previous target
 * untouched and no temporary file behind.
 *
 * <pre>{@code
 * SafetensorsWriter.create().put("w", new long[] {2, 3}, data).metadata("format", "pt").write(path);
 * }</pre>
 *
 * <p>Arrays given to {@code put} are kept by reference until {@link #write}, not copied.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_BYTES = 1 << 20;

    private sealed interface Data permits Floats, Halves, Longs {}

    private record Floats(float[] values) implements Data {}

    /** float32 values stored rounded to IEEE half precision (F16). */
    private record Halves(float[] values) implements Data {}

    private record Longs(long[] values) implements Data {}

    private record Entry(long[] shape, Data data) {
        DType dtype() {
            return switch (data) {
                case Floats f -> DType.F32;
                case Halves h -> DType.F16;
                case Longs l -> DType.I64;
            };
        }

        long byteLength() {
            return switch (data) {
                case Floats f -> 4L * f.values().length;
                case Halves h -> 2L * h.values().length;
                case Longs l -> 8L * l.values().length;
            };
        }
    }

    private final Map<String, Entry> tensors = new TreeMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private SafetensorsWriter() {}

    public static SafetensorsWriter create() {
        return new SafetensorsWriter();
    }

    /** A float32 tensor; {@code data} is row-major and must hold exactly shape's element count. */
    public SafetensorsWriter put(String name, long[] shape, float[] data) {
        return add(name, shape, data.length, new Floats(data));
    }

    /**
     * A float tensor stored as F16 (round to nearest even), half the bytes of F32: for shipping
     * weights; values beyond +-65504 become infinite, so check the range first where that matters.
     */
    public SafetensorsWriter putF16(String name, long[] shape, float[] data) {
        return add(name, shape, data.length, new Halves(data));
    }

    /** An int64 tensor. */
    public SafetensorsWriter putLongs(String name, long[] shape, long[] data) {
        return add(name, shape, data.length, new Longs(data));
    }

    /** An NDArray: floating types are stored as F32, integer and boolean types as I64. */
    public SafetensorsWriter put(String name, NDArray array) {
        long[] shape = array.getShape().getShape();
        DataType type = array.getDataType();
        if (type.isFloating()) {
            NDArray f32 = type == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
            return put(name, shape, f32.toFloatArray());
        }
        if (type.isInteger() || type.isBoolean()) {
            NDArray i64 = type == DataType.INT64 ? array : array.toType(DataType.INT64, false);
            return putLongs(name, shape, i64.toLongArray());
        }
        throw new IllegalArgumentException("tensor '" + name + "': cannot store NDArray type " + type);
    }

    public SafetensorsWriter metadata(String key, String value) {
        if (key == null || value == null) {
            throw new IllegalArgumentException("metadata key and value must not be null");
        }
        metadata.put(key, value);
        return this;
    }

    /** Writes the file atomically, replacing {@code target} if it exists. */
    public void write(Path target) {
        write(target, UnaryOperator.identity());
    }

    /** As {@link #write(Path)}; {@code wrap} lets tests put a failing channel in the way. */
    void write(Path target, UnaryOperator<WritableByteChannel> wrap) {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Path temp = null;
        try {
            // CREATE_NEW rather than createTempFile: the latter makes the file owner-only (0600)
            Path candidate = folder.resolve("." + absolute.getFileName() + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try (FileChannel file = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                temp = candidate;
                writeTo(wrap.apply(file));
                file.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            syncFolder(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot write safetensors file: " + describe(e), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the original error is the one to report
                }
            }
        }
    }

    private void writeTo(WritableByteChannel out) throws IOException {
        byte[] header = header();
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
        writeFully(out, prefix);
        writeFully(out, ByteBuffer.wrap(header));
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry entry : tensors.values()) {
            switch (entry.data()) {
                case Floats f -> {
                    for (float v : f.values()) {
                        if (chunk.remaining() < 4) {
                            flush(out, chunk);
                        }
                        chunk.putFloat(v);
                    }
                }
                case Halves h -> {
                    for (float v : h.values()) {
                        if (chunk.remaining() < 2) {
                            flush(out, chunk);
                        }
                        chunk.putShort(Float.floatToFloat16(v));
                    }
                }
                case Longs l -> {
                    for (long v : l.values()) {
                        // by element size: a tensor of another type may have left the chunk unaligned
                        if (chunk.remaining() < 8) {
                            flush(out, chunk);
                        }
                        chunk.putLong(v);
                    }
                }
            }
        }
        flush(out, chunk);
    }

    /** The JSON header padded with spaces so the data starts 8-byte aligned, as safetensors' prepare() does. */
    private byte[] header() {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            Entry entry = e.getValue();
            ObjectNode node = root.putObject(e.getKey());
            node.put("dtype", entry.dtype().name());
            ArrayNode shape = node.putArray("shape");
            for (long d : entry.shape()) {
                shape.add(d);
            }
            long end = offset + entry.byteLength();
            node.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a safetensors header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    private SafetensorsWriter add(String name, long[] shape, int length, Data data) {
        if (name == null || name.isEmpty() || name.equals("__metadata__")) {
            throw new IllegalArgumentException("invalid tensor name '" + name + "'");
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' was already added");
        }
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in "
                        + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, d);
        }
        if (count != length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds "
                    + count + " elements but " + length + " were given");
        }
        tensors.put(name, new Entry(shape.clone(), data));
        return this;
    }

    private static void flush(WritableByteChannel out, ByteBuffer chunk) throws IOException {
        chunk.flip();
        writeFully(out, chunk);
        chunk.clear();
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** Makes the rename itself durable; not every platform can open a folder, which is harmless. */
    private static void syncFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // best effort: the file's own bytes are already on disk
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
