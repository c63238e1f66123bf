package dev.osmosis.engine.io;

import static dev.osmosis.engine.io.SafetensorsBytes.tensor;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated safetensors files (bit flips, inserted and deleted bytes, spliced JSON tokens, huge numbers,
 * deep nesting, random length fields, truncation) must fail only with a ModelFormatException, quickly,
 * and without allocating by a number read from the file. Seeds are fixed, so a failure replays.
 */
class SafetensorsFuzzTest {
    private static final long[] SEEDS = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final int CASES_PER_SEED = 1000;
    private static final long SLOW_CASE_MS = 2_000;
    private static final Pattern TOKEN = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?|[{}\\[\\]:,]|\\w+");
    private static final List<String> SPLICE = List.of(
            "{", "}", "[", "]", ",", ":", "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\"F32\"",
            "\"F16\"", "\"BF16\"", "\"I64\"", "\"BOOL\"", "\"X9\"", "\"\"", "null", "true", "false", "0", "-1", "1",
            "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "18446744073709551615", "1e308", "1e309", "-0", "0.5", "NaN", "Infinity", "1" + "0".repeat(2000),
            "\"\\ud800\"", "\"\\u0000\"", "[[[[[[[[", "{\"a\":", "\"" + "x".repeat(500) + "\"");

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void mutatedHeadersFailOnlyWithModelFormatExceptionQuicklyAndSmall() {
        List<byte[]> seeds = seedFiles();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (long seed : SEEDS) {
                Random random = new Random(seed);
                for (int i = 0; i < CASES_PER_SEED; i++) {
                    byte[] bytes = seeds.get(random.nextInt(seeds.size())).clone();
                    int mutations = 1 + random.nextInt(3);
                    for (int m = 0; m < mutations; m++) {
                        bytes = mutate(bytes, random);
                    }
                    // a new file each time: rewriting one in place costs ext4 a flush per case
                    Path file = Files.write(dir.resolve("case-" + seed + "-" + i + ".safetensors"), bytes);
                    long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
                    long start = System.nanoTime();
                    String outcome = openAndReadEverything(file);
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
                    Files.delete(file);
                    String where = "seed " + seed + " case " + i + " (" + bytes.length + " bytes, " + preview(bytes) + ")";
                    if (outcome != null) {
                        fail(where + ": " + outcome);
                    }
                    if (ms > SLOW_CASE_MS) {
                        fail(where + ": took " + ms + " ms");
                    }
                    // reading widens at most 8x (I8 -> long); anything near a GB came from a number in the file
                    if (allocated > (32L << 20) + 64L * bytes.length) {
                        fail(where + ": allocated " + allocated + " bytes");
                    }
                }
            }
        });
    }

    /** Null when the file was read or refused properly; else what went wrong. */
    private static String openAndReadEverything(Path file) {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (TensorInfo t : st.tensors().values()) {
                if (t.dtype().isFloat()) {
                    st.floats(t.name());
                } else {
                    st.longs(t.name());
                }
            }
            return null;
        } catch (ModelFormatException expected) {
            return expected.getMessage().contains(file.toString()) ? null
                    : "message does not name the file: " + expected.getMessage();
        } catch (Throwable t) {
            return "threw " + t;
        }
    }

    private static byte[] mutate(byte[] bytes, Random random) {
        int headerLength = (int) Math.min(Math.max(0, lengthField(bytes)), Math.max(0, bytes.length - 8));
        return switch (random.nextInt(11)) {
            case 0 -> flipBits(bytes, random);
            case 1 -> insertBytes(bytes, random, headerLength);
            case 2 -> deleteBytes(bytes, random, headerLength);
            case 3, 4 -> rewriteHeader(bytes, headerLength, spliceTokens(header(bytes, headerLength), random),
                    random.nextInt(4) != 0);
            case 5 -> rewriteHeader(bytes, headerLength, nest(header(bytes, headerLength), random), random.nextBoolean());
            case 6 -> withLengthField(bytes, randomLength(bytes.length, random));
            case 7 -> Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            case 8, 9 -> rewriteHeader(bytes, headerLength, mutateField(header(bytes, headerLength), random),
                    random.nextInt(8) != 0);
            default -> rewriteHeader(bytes, headerLength, garbage(random), true);
        };
    }

    private static byte[] flipBits(byte[] bytes, Random random) {
        if (bytes.length == 0) {
            return bytes;
        }
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips; i++) {
            // mostly inside the length field and header, where the parser looks
            int at = random.nextInt(4) == 0 ? random.nextInt(Math.min(8, bytes.length)) : random.nextInt(bytes.length);
            bytes[at] ^= (byte) (1 << random.nextInt(8));
        }
        return bytes;
    }

    private static byte[] insertBytes(byte[] bytes, Random random, int headerLength) {
        int at = Math.min(bytes.length, 8 + random.nextInt(headerLength + 1));
        byte[] extra = new byte[1 + random.nextInt(16)];
        random.nextBytes(extra);
        byte[] out = concat(Arrays.copyOf(bytes, at), extra, Arrays.copyOfRange(bytes, at, bytes.length));
        return random.nextBoolean() ? withLengthField(out, lengthField(bytes) + extra.length) : out;
    }

    private static byte[] deleteBytes(byte[] bytes, Random random, int headerLength) {
        if (bytes.length <= 9) {
            return bytes;
        }
        int at = Math.min(bytes.length - 1, 8 + random.nextInt(headerLength + 1));
        int n = Math.min(bytes.length - at, 1 + random.nextInt(16));
        byte[] out = concat(Arrays.copyOf(bytes, at), Arrays.copyOfRange(bytes, at + n, bytes.length));
        return random.nextBoolean() ? withLengthField(out, lengthField(bytes) - n) : out;
    }

    /** Replaces, duplicates, drops or swaps JSON tokens; numbers may become huge. */
    private static String spliceTokens(String header, Random random) {
        List<String> tokens = new ArrayList<>();
        List<int[]> spans = new ArrayList<>();
        Matcher m = TOKEN.matcher(header);
        while (m.find()) {
            tokens.add(m.group());
            spans.add(new int[] {m.start(), m.end()});
        }
        if (tokens.isEmpty()) {
            return header + SPLICE.get(random.nextInt(SPLICE.size()));
        }
        int i = random.nextInt(tokens.size());
        int[] span = spans.get(i);
        String replacement = switch (random.nextInt(5)) {
            case 0 -> SPLICE.get(random.nextInt(SPLICE.size()));
            case 1 -> tokens.get(i) + tokens.get(random.nextInt(tokens.size()));
            case 2 -> "";
            case 3 -> tokens.get(random.nextInt(tokens.size()));
            default -> hugeNumber(random);
        };
        return header.substring(0, span[0]) + replacement + header.substring(span[1]);
    }

    /** Keeps the JSON valid but gives one field of one entry a hostile value, to reach the validation. */
    private static String mutateField(String header, Random random) {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (IOException | RuntimeException e) {
            return header;
        }
        if (!(root instanceof ObjectNode object) || object.isEmpty()) {
            return header;
        }
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        String name = names.get(random.nextInt(names.size()));
        if (!(object.get(name) instanceof ObjectNode entry)) {
            return header;
        }
        List<String> fields = new ArrayList<>(List.of("dtype", "shape", "data_offsets", "extra"));
        entry.fieldNames().forEachRemaining(fields::add);
        String field = fields.get(random.nextInt(fields.size()));
        JsonNode value = switch (random.nextInt(6)) {
            case 0 -> JSON.getNodeFactory().textNode(SPLICE.get(random.nextInt(SPLICE.size())).replace("\"", ""));
            case 1 -> randomNumber(random);
            case 2 -> {
                ArrayNode array = JSON.createArrayNode();
                int n = random.nextInt(random.nextBoolean() ? 3 : 12);
                for (int i = 0; i < n; i++) {
                    array.add(randomNumber(random));
                }
                yield array;
            }
            case 3 -> JSON.getNodeFactory().nullNode();
            case 4 -> {
                // offsets that agree with a hostile shape, so only the size checks stand in the way
                long elements = random.nextInt(4) == 0 ? 0 : 1L << random.nextInt(62);
                entry.putArray("shape").add(elements).add(random.nextInt(3));
                yield JSON.createArrayNode().add(0).add(elements * 4);
            }
            default -> object.get(names.get(random.nextInt(names.size()))).deepCopy();
        };
        if (field.equals("extra") || random.nextInt(8) == 0) {
            object.set(name, value); // the entry itself replaced
        } else {
            entry.set(field, value);
        }
        return object.toString();
    }

    private static JsonNode randomNumber(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> JSON.getNodeFactory().numberNode(random.nextInt(64) - 8);
            case 1 -> JSON.getNodeFactory().numberNode(random.nextLong());
            case 2 -> JSON.getNodeFactory().numberNode(new BigInteger(hugeNumber(random).replaceAll("\\D", "1")));
            case 3 -> JSON.getNodeFactory().numberNode(random.nextDouble() * 100);
            default -> JSON.getNodeFactory().numberNode(1L << random.nextInt(63));
        };
    }

    private static String hugeNumber(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> Long.toString(random.nextLong());
            case 1 -> Long.toUnsignedString(-1L - random.nextInt(1000));
            case 2 -> "9".repeat(1 + random.nextInt(1200));
            case 3 -> "1e" + random.nextInt(100_000);
            default -> Long.toString(1L << random.nextInt(63));
        };
    }

    private static String nest(String header, Random random) {
        int depth = 1 + random.nextInt(random.nextBoolean() ? 70 : 20_000);
        boolean arrays = random.nextBoolean();
        String open = arrays ? "[" : "{\"k\":";
        String close = arrays ? "]" : "}";
        String inner = random.nextBoolean() ? "1" : header;
        String nested = open.repeat(depth) + inner + close.repeat(depth);
        // as a whole header, or as the value of a tensor field
        return random.nextBoolean() ? nested : "{\"t\":{\"dtype\":\"F32\",\"shape\":" + nested + ",\"data_offsets\":[0,4]}}";
    }

    private static String garbage(Random random) {
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static long randomLength(int fileLength, Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> random.nextLong();
            case 1 -> fileLength - 8 + random.nextInt(17) - 8;
            case 2 -> SafetensorsFile.MAX_HEADER_BYTES + random.nextInt(3) - 1;
            case 3 -> 1L << random.nextInt(64);
            case 4 -> Integer.MAX_VALUE + (long) random.nextInt(3) - 1;
            default -> random.nextInt(fileLength + 1);
        };
    }

    private static byte[] rewriteHeader(byte[] bytes, int headerLength, String header, boolean fixLength) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(bytes, Math.min(bytes.length, 8 + headerLength), bytes.length);
        return SafetensorsBytes.of(fixLength ? h.length : lengthField(bytes), h, data);
    }

    private static String header(byte[] bytes, int headerLength) {
        return new String(bytes, Math.min(8, bytes.length), Math.min(headerLength, Math.max(0, bytes.length - 8)),
                StandardCharsets.UTF_8);
    }

    private static long lengthField(byte[] bytes) {
        return bytes.length < 8 ? 0 : ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    private static byte[] withLengthField(byte[] bytes, long length) {
        byte[] out = bytes.length < 8 ? Arrays.copyOf(bytes, 8) : bytes;
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String preview(byte[] bytes) {
        byte[] head = Arrays.copyOf(bytes, Math.min(bytes.length, 48));
        return HexFormat.of().formatHex(head);
    }

    /** Valid files: one from the writer, one with every dtype, one with many tensors. */
    private List<byte[]> seedFiles() {
        List<byte[]> files = new ArrayList<>();
        try {
            Path written = dir.resolve("seed.safetensors");
            SafetensorsWriter.create()
                    .put("a.weight", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
                    .putLongs("ids", new long[] {3}, new long[] {0, 1, 49407})
                    .put("scalar", new long[] {}, new float[] {1})
                    .metadata("format", "pt")
                    .write(written);
            files.add(Files.readAllBytes(written));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        String[] dtypes = {"F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL"};
        int[] sizes = {8, 4, 2, 2, 8, 4, 2, 1, 1, 1};
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\",\"x\":\"y\"}");
        long offset = 0;
        for (int i = 0; i < dtypes.length; i++) {
            long bytes = 6L * sizes[i];
            header.append(',').append(tensor("t" + i, dtypes[i], "[2,3]", offset, offset + bytes));
            offset += bytes;
        }
        header.append(',').append(tensor("empty", "F32", "[0,4]", offset, offset)).append('}');
        byte[] data = new byte[(int) offset];
        new Random(0).nextBytes(data);
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        files.add(SafetensorsBytes.of(h.length, h, data));

        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 40; i++) {
            many.append(i == 0 ? "" : ",").append(tensor("model.diffusion_model.input_blocks." + i + ".0.in_layers.0.weight",
                    "F16", "[4]", 8L * i, 8L * i + 8));
        }
        many.append('}');
        files.add(SafetensorsBytes.of(many.toString(), 320));
        return files;
    }
}
