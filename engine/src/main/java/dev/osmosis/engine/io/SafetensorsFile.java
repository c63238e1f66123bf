package dev.osmosis.engine.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A memory-mapped safetensors file (the format of the huggingface/safetensors project, its README "Format"):
 * 8-byte little-endian header length, a JSON header, then the raw tensor bytes.
 *
 * <p>The header is validated completely before any tensor is read, so a corrupt or hostile file
 * fails here with a {@link SafetensorsException} naming the file, the tensor and the problem.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Real headers are a few hundred KB; anything past this is corrupt, not a model. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final int MAX_DIMS = 8;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // "{...} junk" is a corrupt header, not a header followed by padding
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart,
                            Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) {
        PickleCheckpoint.refuseIfPickle(path);
        if (Files.isDirectory(path)) {
            throw new SafetensorsException(path, "is a directory, expected a .safetensors file");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new SafetensorsException(path, "file not found");
        } catch (IOException e) {
            throw new SafetensorsException(path, "cannot open: " + e.getMessage(), e);
        }
        try {
            long fileSize = size(channel, path);
            if (fileSize < 8) {
                throw new SafetensorsException(path, "file is " + fileSize
                        + " bytes, too short for a safetensors header (truncated?)");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0, path);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES) {
                throw new SafetensorsException(path, "header length " + Long.toUnsignedString(headerLength)
                        + " is not plausible (expected 1.." + MAX_HEADER_BYTES + " bytes)");
            }
            if (8 + headerLength > fileSize) {
                throw new SafetensorsException(path, "header length " + headerLength
                        + " runs past the end of the " + fileSize + "-byte file (truncated?)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8, path);
            long dataStart = 8 + headerLength;
            SafetensorsHeader parsed = parseHeader(path, header.array(), fileSize - dataStart);
            return new SafetensorsFile(path, channel, dataStart, parsed.tensors, parsed.metadata);
        } catch (RuntimeException | Error e) {
            closeQuietly(channel);
            throw e;
        }
    }

    record SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata) {}

    /** Parses and validates a header; {@code dataLength} is the number of bytes after it. */
    static SafetensorsHeader parseHeader(Path path, byte[] headerBytes, long dataLength) {
        String text;
        try {
            // the format requires UTF-8; a lenient decode would hide corruption behind U+FFFD
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(headerBytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsException(path, "header is not valid UTF-8 text");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text.trim());
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(path, "header is not valid JSON: " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            throw new SafetensorsException(path, "header is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsException(path, "header must be a JSON object");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (name.equals("__metadata__")) {
                readMetadata(path, node, metadata);
                continue;
            }
            tensors.put(name, readTensorInfo(path, name, node, dataLength));
        }
        checkNoOverlap(path, tensors);
        return new SafetensorsHeader(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static void readMetadata(Path path, JsonNode node, Map<String, String> metadata) {
        if (!node.isObject()) {
            throw new SafetensorsException(path, "__metadata__ must be an object of strings");
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new SafetensorsException(path, "__metadata__." + e.getKey() + " must be a string");
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static TensorInfo readTensorInfo(Path path, String name, JsonNode node, long dataLength) {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw new SafetensorsException(path, where + ": entry must be an object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new SafetensorsException(path, where + ": missing field 'dtype'");
        }
        DType dtype;
        try {
            dtype = DType.valueOf(dtypeNode.textValue());
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(path, where + ": unknown dtype '" + dtypeNode.textValue()
                    + "' (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new SafetensorsException(path, where + ": missing field 'shape'");
        }
        if (shapeNode.size() > MAX_DIMS) {
            throw new SafetensorsException(path, where + ": shape has " + shapeNode.size() + " dimensions");
        }
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.longValue() < 0) {
                throw new SafetensorsException(path, where + ": shape[" + i + "] = " + d + " is not a size");
            }
            shape[i] = d.longValue();
            try {
                elements = Math.multiplyExact(elements, shape[i]);
            } catch (ArithmeticException e) {
                throw new SafetensorsException(path, where + ": shape " + shapeNode + " overflows");
            }
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
                || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw new SafetensorsException(path, where + ": 'data_offsets' must be [begin, end]");
        }
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        if (begin < 0 || end < begin) {
            throw new SafetensorsException(path, where + ": data_offsets [" + begin + ", " + end + "] are reversed or negative");
        }
        if (end > dataLength) {
            throw new SafetensorsException(path, where + ": data_offsets end " + end
                    + " is past the end of the data section (" + dataLength + " bytes; truncated file?)");
        }
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(elements, (long) dtype.byteSize);
        } catch (ArithmeticException e) {
            throw new SafetensorsException(path, where + ": shape " + shapeNode + " overflows");
        }
        if (expectedBytes != end - begin) {
            throw new SafetensorsException(path, where + ": shape " + shapeNode + " x " + dtype + " needs "
                    + expectedBytes + " bytes but data_offsets span " + (end - begin));
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static void checkNoOverlap(Path path, Map<String, TensorInfo> tensors) {
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.byteLength() == 0) {
                continue;
            }
            if (previous != null && t.begin() < previous.end()) {
                throw new SafetensorsException(path, "tensors '" + previous.name() + "' and '" + t.name()
                        + "' overlap (data_offsets " + previous.begin() + ".." + previous.end() + " and "
                        + t.begin() + ".." + t.end() + ")");
            }
            previous = t;
        }
    }

    public Path path() {
        return path;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new SafetensorsException(path, "missing tensor '" + name + "'");
        }
        return info;
    }

    /** The raw little-endian bytes of a tensor, memory-mapped (not copied). */
    public ByteBuffer bytes(String name) {
        TensorInfo info = info(name);
        if (info.byteLength() > Integer.MAX_VALUE) {
            throw new SafetensorsException(path, "tensor '" + name + "' is " + info.byteLength()
                    + " bytes, more than one buffer can map (2 GiB)");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(), info.byteLength())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new SafetensorsException(path, "cannot read tensor '" + name + "': " + e.getMessage(), e);
        }
    }

    /** A floating-point tensor converted to float32, whatever its stored float type. */
    public float[] floats(String name) {
        TensorInfo info = info(name);
        if (info.elementCount() > Integer.MAX_VALUE) {
            throw new SafetensorsException(path, "tensor '" + name + "' is too large for one array");
        }
        return FloatConversion.toFloat32(path, info, bytes(name));
    }

    /** An integer tensor as longs (I64, I32, I16, I8, U8, BOOL). */
    public long[] longs(String name) {
        TensorInfo info = info(name);
        if (info.dtype().isFloat()) {
            throw new SafetensorsException(path, "tensor '" + name + "' is " + info.dtype()
                    + ", expected an integer type");
        }
        if (info.elementCount() > Integer.MAX_VALUE) {
            throw new SafetensorsException(path, "tensor '" + name + "' is too large for one array");
        }
        ByteBuffer b = bytes(name);
        int n = (int) info.elementCount();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (info.dtype()) {
                case I64 -> b.getLong(i * 8);
                case I32 -> b.getInt(i * 4);
                case I16 -> b.getShort(i * 2);
                case I8 -> b.get(i);
                case U8, BOOL -> b.get(i) & 0xff;
                default -> throw new IllegalStateException("not an integer type: " + info.dtype());
            };
        }
        return out;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position, Path path) {
        try {
            long pos = position;
            while (into.hasRemaining()) {
                int n = channel.read(into, pos);
                if (n < 0) {
                    throw new SafetensorsException(path, "unexpected end of file (truncated?)");
                }
                pos += n;
            }
        } catch (IOException e) {
            throw new SafetensorsException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    private static long size(FileChannel channel, Path path) {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new SafetensorsException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a read-only channel loses nothing
        }
    }

    static boolean exists(Path path) {
        return Files.exists(path);
    }
}
