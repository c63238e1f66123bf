package dev.osmosis.engine.io;

import static dev.osmosis.engine.io.SafetensorsBytes.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.osmosis.engine.nn.Weights;
import dev.osmosis.engine.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a file can be broken fails with a ModelFormatException naming the file and the problem. */
class SafetensorsFileTest {
    @TempDir
    Path dir;

    private Path valid() {
        Path file = dir.resolve("valid.safetensors");
        SafetensorsWriter.create()
                .put("a", new long[] {2, 2}, new float[] {1, 2, 3, 4})
                .put("b", new long[] {3}, new float[] {5, 6, 7})
                .write(file);
        return file;
    }

    private Path file(String name, byte[] bytes) {
        return SafetensorsBytes.write(dir.resolve(name), bytes);
    }

    private static void assertFails(Path file, String problem) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(file).close());
        assertMessage(e, file, problem);
    }

    private static void assertMessage(Exception e, Path file, String problem) {
        assertTrue(e.getMessage().contains(file.toString()), "message names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), "message says '" + problem + "': " + e.getMessage());
    }

    @Test
    void validFileOpens() {
        try (SafetensorsFile st = SafetensorsFile.open(valid())) {
            assertArrayEquals(new float[] {5, 6, 7}, st.floats("b"));
        }
    }

    @Test
    void fileShorterThanTheLengthFieldIsTruncated() {
        assertFails(file("short.safetensors", new byte[] {12, 0, 0}), "too short");
        assertFails(file("empty.safetensors", new byte[0]), "too short");
    }

    @Test
    void fileCutInsideTheDataIsTruncated() throws IOException {
        byte[] bytes = Files.readAllBytes(valid());
        assertFails(file("cut.safetensors", Arrays.copyOf(bytes, bytes.length - 5)), "past the end of the data");
    }

    @Test
    void headerLengthPastTheEndOfTheFile() throws IOException {
        byte[] bytes = Files.readAllBytes(valid());
        int headerEnd = bytes.length - 28;
        assertFails(file("cut-header.safetensors", Arrays.copyOf(bytes, headerEnd - 10)), "runs past the end");
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        assertFails(file("long.safetensors", SafetensorsBytes.of(1000, header, new byte[0])), "runs past the end");
    }

    @Test
    void absurdHeaderLengths() {
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        assertFails(file("huge.safetensors", SafetensorsBytes.of(1L << 60, header, new byte[0])), "not plausible");
        assertFails(file("negative.safetensors", SafetensorsBytes.of(-8, header, new byte[0])), "not plausible");
        assertFails(file("zero.safetensors", SafetensorsBytes.of(0, header, new byte[0])), "not plausible");
    }

    @Test
    void headerThatIsNotJson() {
        assertFails(file("text.safetensors", SafetensorsBytes.of("hello, world", 0)), "not valid JSON");
        assertFails(file("cut-json.safetensors", SafetensorsBytes.of("{\"a\":{\"dtype\":", 0)), "not valid JSON");
        assertFails(file("array.safetensors", SafetensorsBytes.of("[1, 2, 3]", 0)), "must be a JSON object");
        assertFails(file("trailing.safetensors", SafetensorsBytes.of("{} {}", 0)), "not valid JSON");
        assertFails(file("dup.safetensors", SafetensorsBytes.of("{" + tensor("a", "F32", "[1]", 0, 4) + ","
                + tensor("a", "F32", "[1]", 4, 8) + "}", 8)), "not valid JSON");
        byte[] latin1 = "{\"caf\u00e9\":1}".getBytes(StandardCharsets.ISO_8859_1);
        assertFails(file("latin1.safetensors", SafetensorsBytes.of(latin1.length, latin1, new byte[0])), "UTF-8");
    }

    @Test
    void overlappingTensors() {
        String header = "{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 4, 12) + "}";
        assertFails(file("overlap.safetensors", SafetensorsBytes.of(header, 12)), "overlap");
    }

    @Test
    void unknownDtype() {
        String header = "{" + tensor("a", "F8_E4M3X", "[2]", 0, 2) + "}";
        assertFails(file("dtype.safetensors", SafetensorsBytes.of(header, 2)), "unknown dtype 'F8_E4M3X'");
    }

    @Test
    void shapeTimesDtypeDisagreesWithTheByteRange() {
        String header = "{" + tensor("a", "F32", "[2, 3]", 0, 20) + "}";
        assertFails(file("size.safetensors", SafetensorsBytes.of(header, 24)), "needs 24 bytes but data_offsets span 20");
    }

    @Test
    void malformedShapesAndOffsets() {
        assertFails(file("neg.safetensors", SafetensorsBytes.of("{" + tensor("a", "F32", "[-1]", 0, 4) + "}", 4)),
                "is not a size");
        assertFails(file("float.safetensors", SafetensorsBytes.of("{" + tensor("a", "F32", "[1.5]", 0, 4) + "}", 4)),
                "is not a size");
        assertFails(file("overflow.safetensors", SafetensorsBytes.of(
                "{" + tensor("a", "F32", "[4294967296, 4294967296]", 0, 4) + "}", 4)), "overflows");
        assertFails(file("reversed.safetensors", SafetensorsBytes.of("{" + tensor("a", "F32", "[1]", 4, 0) + "}", 4)),
                "reversed");
        assertFails(file("nodtype.safetensors", SafetensorsBytes.of("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4)),
                "missing field 'dtype'");
        assertFails(file("meta.safetensors", SafetensorsBytes.of("{\"__metadata__\":{\"k\":1}}", 0)),
                "__metadata__.k must be a string");
    }

    @Test
    void offsetsPastTheData() {
        String header = "{" + tensor("a", "F32", "[4]", 0, 16) + "}";
        assertFails(file("past.safetensors", SafetensorsBytes.of(header, 8)), "data_offsets end 16 is past the end");
    }

    @Test
    void missingTensorIsNamed() {
        Path file = valid();
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> st.info("c"));
            assertMessage(e, file, "missing tensor 'c'");
            assertMessage(assertThrows(SafetensorsException.class, () -> st.floats("nope")), file, "'nope'");
        }
    }

    @Test
    void wrongDtypeForTheAccessor() {
        Path file = valid();
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertMessage(assertThrows(SafetensorsException.class, () -> st.longs("a")), file, "expected an integer type");
        }
    }

    @Test
    void wrongShapeThroughWeightsNamesFileTensorAndBothShapes() {
        Path file = valid();
        try (NDManager manager = NDManager.newBaseManager()) {
            Weights weights = Weights.load(file, manager);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> weights.get("a", 4, 1));
            assertMessage(e, file, "tensor 'a' has shape (2, 2), expected (4, 1)");
            assertMessage(assertThrows(ModelFormatException.class, () -> weights.get("z", 1)), file, "missing tensor 'z'");
        }
    }

    @Test
    void pickleCheckpointsAreRefusedWithTheConversionRecipe() throws IOException {
        Path ckpt = Files.write(dir.resolve("model.ckpt"), new byte[] {(byte) 0x80, 2, 'c', 'x'});
        assertFails(ckpt, "convert it to .safetensors");
        // a torch.save zip renamed to .safetensors is still a pickle
        Path zip = Files.write(dir.resolve("zip.safetensors"), new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0});
        assertFails(zip, "convert it to .safetensors");
        Path raw = Files.write(dir.resolve("raw.safetensors"), new byte[] {(byte) 0x80, 4, (byte) 0x95, 0, 0, 0, 0, 0, 0});
        assertFails(raw, "convert it to .safetensors");
    }

    @Test
    void missingPath() {
        assertFails(dir.resolve("absent.safetensors"), "file not found");
    }

    @Test
    void directoryInsteadOfAFile() {
        assertFails(Fixtures.tinySd1().resolve("unet"), "is a directory");
    }
}
