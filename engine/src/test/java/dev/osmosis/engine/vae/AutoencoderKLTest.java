package dev.osmosis.engine.vae;

import static dev.osmosis.engine.testing.Reference.UNIT_ATOL;
import static dev.osmosis.engine.testing.Reference.UNIT_RTOL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.osmosis.engine.io.ModelFormatException;
import dev.osmosis.engine.nn.Weights;
import dev.osmosis.engine.testing.Fixtures;
import dev.osmosis.engine.testing.Reference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parity with diffusers' AutoencoderKL on the tiny-sd1 VAE (reference/vae.safetensors). */
class AutoencoderKLTest {
    private static NDManager manager;
    private static Reference ref;
    private static AutoencoderKL vae;

    @BeforeAll
    static void load() {
        manager = NDManager.newBaseManager();
        ref = Reference.of("vae.safetensors");
        vae = AutoencoderKL.load(vaeDir(), manager);
    }

    @AfterAll
    static void close() {
        ref.close();
        manager.close();
    }

    private static Path vaeDir() {
        return Fixtures.tinySd1().resolve("vae");
    }

    @Test
    void configIsReadFromConfigJson() {
        assertEquals(new VaeConfig(3, 3, 4, List.of(32, 64, 32, 32), 2, 32, 0.18215), vae.config());
        assertEquals(8, vae.config().downsampleFactor());
    }

    @Test
    void decodeOfScaledLatentsMatchesDiffusers() {
        try (NDScope s = new NDScope()) {
            NDArray decoded = vae.decode(ref.array(manager, "in.latents"));
            ref.assertClose("out.decoded", decoded, UNIT_ATOL, UNIT_RTOL);
            ref.assertClose("out.decoded_01", AutoencoderKL.toUnitRange(decoded), UNIT_ATOL, UNIT_RTOL);
        }
    }

    @Test
    void encodeMatchesDiffusersLatentDistribution() {
        try (NDScope s = new NDScope()) {
            DiagonalGaussian posterior = vae.encode(ref.array(manager, "in.image"));
            ref.assertClose("out.moments", posterior.moments(), UNIT_ATOL, UNIT_RTOL);
            ref.assertClose("out.mean", posterior.mean(), UNIT_ATOL, UNIT_RTOL);
            ref.assertClose("out.logvar", posterior.logvar(), UNIT_ATOL, UNIT_RTOL);
            ref.assertClose("out.std", posterior.std(), UNIT_ATOL, UNIT_RTOL);
            ref.assertClose("out.mean", posterior.mode(), UNIT_ATOL, UNIT_RTOL);
        }
    }

    @Test
    void sampleIsMeanPlusStdTimesNoise() {
        try (NDScope s = new NDScope()) {
            DiagonalGaussian posterior = vae.encode(ref.array(manager, "in.image"));
            NDArray eps = manager.randomNormal(posterior.mean().getShape());
            NDArray expected = posterior.mean().add(posterior.std().mul(eps));
            assertArrayEquals(expected.toFloatArray(), posterior.sample(eps).toFloatArray(), 0f);
            assertThrows(IllegalArgumentException.class, () -> posterior.sample(manager.zeros(new Shape(1, 4, 6, 10))));
        }
    }

    @Test
    void logvarIsClampedToMinus30And20() {
        try (NDScope s = new NDScope()) {
            NDArray moments = manager.create(new float[] {0f, 1f, -100f, 100f}, new Shape(1, 4, 1, 1));
            DiagonalGaussian d = new DiagonalGaussian(moments);
            assertArrayEquals(new float[] {-30f, 20f}, d.logvar().toFloatArray(), 0f);
            assertArrayEquals(new float[] {(float) Math.exp(-15), (float) Math.exp(10)}, d.std().toFloatArray(), 1e-6f * 22027f);
        }
    }

    @Test
    void callsLeaveNothingBehindInTheManager() {
        try (NDManager work = manager.newSubManager()) {
            NDArray latents = ref.array(work, "in.latents");
            NDArray image = ref.array(work, "in.image");
            try (NDScope s = new NDScope()) {
                vae.decode(latents);
                vae.encode(image);
            }
            // the two inputs are all that remain: intermediates and results were closed with the scope
            assertEquals(2, work.getManagedArrays().size());
        }
    }

    @Test
    void wrongLatentChannelsAreRejected() {
        try (NDScope s = new NDScope()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> vae.decode(manager.zeros(new Shape(1, 3, 6, 10))));
            assertTrue(e.getMessage().contains("[batch, 4, height, width]"), e.getMessage());
        }
    }

    @Test
    void legacyAttentionNamesAreRenamedAtLoad(@TempDir Path dir) throws IOException {
        Files.copy(vaeDir().resolve("config.json"), dir.resolve("config.json"));
        writeRenamed(vaeDir().resolve("diffusion_pytorch_model.safetensors"),
                dir.resolve("diffusion_pytorch_model.safetensors"), Map.of(
                        "to_q", "query", "to_k", "key", "to_v", "value", "to_out.0", "proj_attn"));
        try (NDManager m = manager.newSubManager(); NDScope s = new NDScope()) {
            AutoencoderKL legacy = AutoencoderKL.load(dir, m);
            ref.assertClose("out.decoded", legacy.decode(ref.array(m, "in.latents")), UNIT_ATOL, UNIT_RTOL);
        }
    }

    @Test
    void renameLegacyMapsOnlyMidBlockAttentionKeys() {
        assertEquals("decoder.mid_block.attentions.0.to_out.0.bias",
                AutoencoderKL.renameLegacy("decoder.mid_block.attentions.0.proj_attn.bias"));
        assertEquals("encoder.mid_block.attentions.0.to_k.weight",
                AutoencoderKL.renameLegacy("encoder.mid_block.attentions.0.key.weight"));
        assertEquals("encoder.mid_block.attentions.0.group_norm.weight",
                AutoencoderKL.renameLegacy("encoder.mid_block.attentions.0.group_norm.weight"));
        assertEquals("decoder.up_blocks.0.resnets.0.conv1.weight",
                AutoencoderKL.renameLegacy("decoder.up_blocks.0.resnets.0.conv1.weight"));
    }

    @Test
    void missingWeightsFileIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        Files.copy(vaeDir().resolve("config.json"), dir.resolve("config.json"));
        Files.writeString(dir.resolve("diffusion_pytorch_model.bin"), "pickle");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AutoencoderKL.load(dir, manager));
        assertTrue(e.getMessage().startsWith(dir.resolve("diffusion_pytorch_model.safetensors").toString()),
                e.getMessage());
        assertTrue(e.getMessage().contains("file not found"), e.getMessage());
        assertTrue(e.getMessage().contains("convert it to safetensors"), e.getMessage());
    }

    @Test
    void missingConfigIsRefusedNamingIt(@TempDir Path dir) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AutoencoderKL.load(dir, manager));
        assertTrue(e.getMessage().startsWith(dir.resolve("config.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("file not found"), e.getMessage());
    }

    @Test
    void missingTensorIsAModelFormatErrorNamingTheKey() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> new AutoencoderKL(VaeConfig.sd(), Weights.of("empty.safetensors", Map.of())));
        assertTrue(e.getMessage().contains("encoder.conv_in.weight"), e.getMessage());
    }

    /** Copies a safetensors file, renaming every key segment {@code .new.} to {@code .old.} in its header. */
    private static void writeRenamed(Path from, Path to, Map<String, String> newToOld) throws IOException {
        byte[] bytes = Files.readAllBytes(from);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = (ObjectNode) json.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        ObjectNode renamed = json.createObjectNode();
        List<String> names = new ArrayList<>();
        header.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            String key = name;
            for (Map.Entry<String, String> e : newToOld.entrySet()) {
                key = key.replace(".attentions.0." + e.getKey() + ".", ".attentions.0." + e.getValue() + ".");
            }
            renamed.set(key, header.get(name));
        }
        byte[] newHeader = json.writeValueAsBytes(renamed);
        ByteBuffer out = ByteBuffer.allocate(8 + newHeader.length + bytes.length - 8 - (int) headerLength)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(newHeader.length).put(newHeader).put(bytes, 8 + (int) headerLength, bytes.length - 8 - (int) headerLength);
        Files.write(to, out.array());
    }
}
