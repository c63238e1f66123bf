package dev.osmosis.engine.unet;

import static dev.osmosis.engine.testing.Reference.UNIT_ATOL;
import static dev.osmosis.engine.testing.Reference.UNIT_RTOL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.osmosis.engine.io.ModelFormatException;
import dev.osmosis.engine.nn.Activations;
import dev.osmosis.engine.testing.Fixtures;
import dev.osmosis.engine.testing.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parity with diffusers' UNet2DConditionModel on the tiny-sd1 UNet (reference/unet.safetensors). */
class UNet2DConditionModelTest {
    private static NDManager manager;
    private static Reference ref;
    private static UNet2DConditionModel unet;

    @BeforeAll
    static void load() {
        manager = NDManager.newBaseManager();
        ref = Reference.of("unet.safetensors");
        unet = UNet2DConditionModel.load(Fixtures.tinySd1().resolve("unet"), manager);
    }

    @AfterAll
    static void close() {
        ref.close();
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"t999", "t500", "t1", "t_mixed_999_1", "t_frac_333.25"})
    void unetMatchesReferenceAtEachTimestep(String variant) {
        try (NDScope s = new NDScope()) {
            NDArray out = unet.forward(ref.array(manager, "in.latents"), ref.array(manager, "in." + variant + ".timestep"),
                    ref.array(manager, "in.encoder_hidden_states"));
            ref.assertClose("out." + variant + ".sample", out, UNIT_ATOL, UNIT_RTOL);
        }
    }

    @Test
    void stagesMatchTheReferenceActivations() {
        try (NDScope s = new NDScope()) {
            NDArray x = ref.array(manager, "in.latents");
            NDArray context = ref.array(manager, "in.encoder_hidden_states");
            NDArray temb = unet.timeEmbedding(ref.array(manager, "in.t500.timestep"), 2);
            // the reference hooks time_embedding's output; the UNet hands the resnets silu of it
            float[] expected = Activations.silu(ref.array(manager, "out.t500.debug.time_embedding")).toFloatArray();
            float[] actual = temb.toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], UNIT_ATOL + UNIT_RTOL * Math.abs(expected[i]), "temb[" + i + "]");
            }
            NDArray h = unet.convIn(x);
            ref.assertClose("out.t500.debug.conv_in", h, UNIT_ATOL, UNIT_RTOL);
            List<NDArray> skips = new java.util.ArrayList<>(List.of(h));
            for (int k = 1; k < unet.skipCount(); k++) {
                h = unet.down(k, h, temb, context);
                skips.add(h);
                if (k == 3) {
                    // the end of down block 0 (after its downsampler)
                    ref.assertClose("out.t500.debug.down_blocks.0", h, UNIT_ATOL, UNIT_RTOL);
                }
            }
            ref.assertClose("out.t500.debug.down_blocks.1", h, UNIT_ATOL, UNIT_RTOL);
            h = unet.mid(h, temb, context);
            ref.assertClose("out.t500.debug.mid_block", h, UNIT_ATOL, UNIT_RTOL);
            for (int k = unet.skipCount() - 1; k >= 0; k--) {
                h = unet.up(k, h, skips, temb, context);
                if (k == 3) {
                    ref.assertClose("out.t500.debug.up_blocks.0", h, UNIT_ATOL, UNIT_RTOL);
                }
            }
            ref.assertClose("out.t500.debug.up_blocks.1", h, UNIT_ATOL, UNIT_RTOL);
            ref.assertClose("out.t500.sample", unet.out(h), UNIT_ATOL, UNIT_RTOL);
        }
    }

    @Test
    void skipConnectionsAreNamedLikeDiffusersModules() {
        assertEquals(6, unet.skipCount());
        assertEquals("conv_in", unet.downLayerName(0));
        assertEquals("down_blocks.0.resnets.1", unet.downLayerName(2));
        assertEquals("down_blocks.0.downsamplers.0", unet.downLayerName(3));
        assertEquals("down_blocks.1.resnets.1", unet.downLayerName(5));
        assertEquals("up_blocks.0.resnets.0", unet.upLayerName(5));
        assertEquals("up_blocks.0.resnets.2", unet.upLayerName(3));
        assertEquals("up_blocks.1.resnets.2", unet.upLayerName(0));
    }

    @Test
    void configIsReadFromConfigJson() {
        UNetConfig c = unet.config();
        assertEquals(List.of(32, 64), c.blockOutChannels());
        assertEquals(List.of(8, 8), c.headCounts());
        assertEquals(32, c.crossAttentionDim());
        assertEquals(128, c.timeEmbedDim());
    }

    @Test
    void sdxlConfigIsRefusedWithTheFieldNamed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"addition_embed_type\": \"text_time\"}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> UNetConfig.read(dir.resolve("config.json")));
        assertTrue(e.getMessage().contains("addition_embed_type"), e.getMessage());
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    }

    @Test
    void missingWeightsAreNamed(@TempDir Path dir) throws IOException {
        Files.copy(Fixtures.tinySd1().resolve("unet/config.json"), dir.resolve("config.json"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> UNet2DConditionModel.load(dir, manager));
        assertTrue(e.getMessage().contains("diffusion_pytorch_model.safetensors"), e.getMessage());
    }
}
