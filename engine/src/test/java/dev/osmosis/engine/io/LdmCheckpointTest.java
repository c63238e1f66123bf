package dev.osmosis.engine.io;

import static dev.osmosis.engine.io.LdmCheckpoint.Component.TEXT_ENCODER;
import static dev.osmosis.engine.io.LdmCheckpoint.Component.UNET;
import static dev.osmosis.engine.io.LdmCheckpoint.Component.VAE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.osmosis.engine.io.LdmCheckpoint.Component;
import dev.osmosis.engine.io.LdmCheckpoint.Options;
import dev.osmosis.engine.nn.Weights;
import dev.osmosis.engine.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LdmCheckpointTest {
    /** What the tiny fixture's text encoder has but its weights cannot show (see README: 4 heads). */
    private static final int TINY_TEXT_HEADS = 4;
    private static final Path LDM = Fixtures.tinySd1().resolve("tiny-sd1-ldm.safetensors");
    private static final Map<Component, String> FOLDER_FILES = Map.of(
            UNET, "unet/diffusion_pytorch_model.safetensors",
            VAE, "vae/diffusion_pytorch_model.safetensors",
            TEXT_ENCODER, "text_encoder/model.safetensors");
    /** The config keys the modules are built from: each must be inferred, and equal the folder's. */
    private static final Map<Component, List<String>> KEYS_THAT_MATTER = Map.of(
            UNET, List.of("attention_head_dim", "block_out_channels", "cross_attention_dim", "down_block_types",
                    "up_block_types", "in_channels", "out_channels", "layers_per_block", "mid_block_type",
                    "norm_num_groups", "norm_eps", "sample_size", "transformer_layers_per_block",
                    "use_linear_projection", "flip_sin_to_cos", "freq_shift", "act_fn", "conv_in_kernel",
                    "conv_out_kernel", "downsample_padding", "upcast_attention"),
            VAE, List.of("block_out_channels", "down_block_types", "up_block_types", "in_channels", "out_channels",
                    "latent_channels", "layers_per_block", "norm_num_groups", "scaling_factor", "sample_size",
                    "act_fn"),
            TEXT_ENCODER, List.of("hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
                    "hidden_act", "vocab_size", "max_position_embeddings", "layer_norm_eps"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void tinyFixtureConvertsToTheDiffusersFolderTensorsBitForBit() {
        try (LdmCheckpoint ckpt = LdmCheckpoint.open(LDM)) {
            for (Component c : Component.values()) {
                assertSameTensors(Fixtures.tinySd1().resolve(FOLDER_FILES.get(c)), ckpt, c);
            }
        }
    }

    @Test
    void inferredConfigsEqualTheFolderConfigs() throws IOException {
        try (LdmCheckpoint ckpt = LdmCheckpoint.open(LDM, Options.DEFAULT.withTextEncoderHeads(TINY_TEXT_HEADS))) {
            for (Component c : Component.values()) {
                ObjectNode inferred = ckpt.config(c);
                JsonNode folder = JSON.readTree(Fixtures.tinySd1().resolve(c.folder()).resolve("config.json").toFile());
                for (String key : KEYS_THAT_MATTER.get(c)) {
                    assertTrue(inferred.has(key), c + " config infers " + key);
                }
                // nothing inferred may disagree with the reference config, whether listed above or not
                for (Iterator<String> it = inferred.fieldNames(); it.hasNext(); ) {
                    String key = it.next();
                    assertEquals(folder.get(key), inferred.get(key), c + " config key " + key);
                }
            }
            assertFalse(ckpt.isV2());
            assertEquals("epsilon", ckpt.predictionType(), "a sidecar without parameterization means eps");
            assertEquals(Optional.of(Fixtures.tinySd1().resolve("tiny-sd1-ldm.yaml")), ckpt.sidecar());
        }
    }

    @Test
    void withoutSidecarOrOverrideTheDefaultsApply() throws IOException {
        Path lonely = Files.copy(LDM, dir.resolve("lonely.safetensors"));
        try (LdmCheckpoint ckpt = LdmCheckpoint.open(lonely)) {
            assertNull(ckpt.predictionType(), "v-prediction cannot be seen in the weights");
            assertEquals(Optional.empty(), ckpt.sidecar());
            assertEquals(8, ckpt.config(UNET).get("attention_head_dim").intValue(), "SD1: 8 heads");
            assertEquals(64, ckpt.config(UNET).get("sample_size").intValue(), "512 px");
            assertEquals(512, ckpt.config(VAE).get("sample_size").intValue());
            assertEquals(0.18215, ckpt.config(VAE).get("scaling_factor").doubleValue());
            assertEquals(1, ckpt.config(TEXT_ENCODER).get("num_attention_heads").intValue(), "max(1, 32 / 64)");
        }
    }

    @Test
    void weightsLoadIntoAManagerUnderDiffusersKeys() {
        try (LdmCheckpoint ckpt = LdmCheckpoint.open(LDM); NDManager manager = NDManager.newBaseManager()) {
            Weights vae = ckpt.weights(VAE, manager);
            assertEquals(new TreeSet<>(ckpt.keys(VAE)), new TreeSet<>(vae.keys()));
            float[] q = vae.get("encoder.mid_block.attentions.0.to_q.weight", 32, 32).toFloatArray();
            assertArrayEquals(ckpt.floats(VAE, "encoder.mid_block.attentions.0.to_q.weight"), q);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> vae.get("no.such.weight"));
            assertTrue(e.getMessage().contains(LDM.toString()) && e.getMessage().contains("[vae]"), e.getMessage());
        }
    }

    @Test
    void openClipTextEncoderOfAnSd2FileConvertsBackToTheTinyEncoder() throws IOException {
        Path sd2 = writeSd2Style(dir.resolve("sd2.safetensors"));
        try (LdmCheckpoint ckpt = LdmCheckpoint.open(sd2, Options.DEFAULT.withTextEncoderHeads(TINY_TEXT_HEADS))) {
            assertTrue(ckpt.isV2());
            assertSameTensors(Fixtures.tinySd1().resolve(FOLDER_FILES.get(TEXT_ENCODER)), ckpt, TEXT_ENCODER);
            ObjectNode text = ckpt.config(TEXT_ENCODER);
            assertEquals("gelu", text.get("hidden_act").asText(), "OpenCLIP uses exact GELU");
            assertEquals(3, text.get("num_hidden_layers").intValue(), "the last of 4 resblocks is dropped");
            assertEquals(32, text.get("hidden_size").intValue());
            assertEquals(37, text.get("intermediate_size").intValue());
            assertEquals(TINY_TEXT_HEADS, text.get("num_attention_heads").intValue());

            ObjectNode unet = ckpt.config(UNET);
            assertTrue(unet.get("use_linear_projection").booleanValue());
            assertArrayEquals(new long[] {32, 32}, ckpt.shape(UNET, "down_blocks.0.attentions.0.proj_in.weight"));
            assertEquals(JSON.readTree("[1, 1]"), unet.get("attention_head_dim"), "SD2: max(1, channels / 64)");
            assertNull(ckpt.predictionType());
            // the UNet and VAE are the fixture's, only reshaped
            assertSameTensors(Fixtures.tinySd1().resolve(FOLDER_FILES.get(VAE)), ckpt, VAE);
        }
    }

    @Test
    void jsonSidecarSetsPredictionTypeHeadsAndScale() throws IOException {
        Path sd2 = writeSd2Style(dir.resolve("sd2v.safetensors"));
        Files.writeString(dir.resolve("sd2v.json"), """
                {"model": {"params": {"parameterization": "v", "scale_factor": 0.13025, "image_size": 12,
                  "unet_config": {"params": {"num_head_channels": 8, "use_linear_in_transformer": true,
                                             "context_dim": 32}}}}}""");
        try (LdmCheckpoint ckpt = LdmCheckpoint.open(sd2)) {
            assertEquals("v_prediction", ckpt.predictionType());
            assertEquals(JSON.readTree("[4, 8]"), ckpt.config(UNET).get("attention_head_dim"), "channels / 8");
            assertEquals(12, ckpt.config(UNET).get("sample_size").intValue());
            assertEquals(96, ckpt.config(VAE).get("sample_size").intValue());
            assertEquals(0.13025, ckpt.config(VAE).get("scaling_factor").doubleValue());
        }
    }

    @Test
    void sidecarThatContradictsTheWeightsIsNamed() throws IOException {
        Path sidecar = Files.writeString(dir.resolve("other.yaml"), """
                model:
                  params:
                    unet_config:
                      params:
                        context_dim: 1024
                """);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> LdmCheckpoint.open(LDM, Options.DEFAULT.withSidecar(sidecar)).close());
        assertTrue(e.getMessage().contains(sidecar.toString()) && e.getMessage().contains("context_dim"), e.getMessage());
    }

    @Test
    void pickleCheckpointGetsTheConversionMessage() throws IOException {
        Path ckpt = Files.write(dir.resolve("sd-v1-5.ckpt"), new byte[] {'P', 'K', 3, 4});
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> LdmCheckpoint.open(ckpt));
        assertTrue(e.getMessage().contains(ckpt.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("convert it to .safetensors"), e.getMessage());
    }

    @Test
    void fileWithoutStableDiffusionKeysIsRefusedClearly() {
        Path other = dir.resolve("other.safetensors");
        SafetensorsWriter.create().put("encoder.weight", new long[] {1}, new float[] {1})
                .put("first_stage_model.decoder.conv_in.weight", new long[] {1}, new float[] {1}).write(other);
        for (Path file : List.of(other, Fixtures.tinySd1().resolve(FOLDER_FILES.get(UNET)))) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> LdmCheckpoint.open(file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("not a Stable Diffusion checkpoint: no model.diffusion_model.* keys"),
                    e.getMessage());
        }
    }

    @Test
    void unknownUnetTensorIsRefusedNotDropped() {
        Path file = dir.resolve("xl.safetensors");
        SafetensorsWriter writer = copyLdm(name -> true);
        writer.put("model.diffusion_model.label_emb.0.0.weight", new long[] {1}, new float[] {1}).write(file);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> LdmCheckpoint.open(file));
        assertTrue(e.getMessage().contains("label_emb"), e.getMessage());
    }

    @Test
    void missingComponentIsReportedWhenAskedFor() {
        Path file = dir.resolve("unet-only.safetensors");
        copyLdm(name -> name.startsWith(LdmKeyMap.UNET)).write(file);
        try (LdmCheckpoint ckpt = LdmCheckpoint.open(file)) {
            assertFalse(ckpt.has(VAE));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ckpt.config(VAE));
            assertTrue(e.getMessage().contains("no vae") && e.getMessage().contains("first_stage_model.*"),
                    e.getMessage());
        }
    }

    private static void assertSameTensors(Path folderFile, LdmCheckpoint ckpt, Component c) {
        try (SafetensorsFile expected = SafetensorsFile.open(folderFile)) {
            TreeSet<String> missing = new TreeSet<>(expected.tensors().keySet());
            missing.removeAll(ckpt.keys(c));
            TreeSet<String> extra = new TreeSet<>(ckpt.keys(c));
            extra.removeAll(expected.tensors().keySet());
            assertEquals(List.of(), List.copyOf(missing), c + " keys missing from the conversion");
            assertEquals(List.of(), List.copyOf(extra), c + " keys the conversion should not have");
            for (TensorInfo t : expected.tensors().values()) {
                assertArrayEquals(t.shape(), ckpt.shape(c, t.name()), c + " " + t.name() + " shape");
                assertArrayEquals(bits(expected.floats(t.name())), bits(ckpt.floats(c, t.name())), c + " " + t.name());
            }
        }
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    /** The fixture's tensors (as float32) whose LDM names pass {@code keep}. */
    private static SafetensorsWriter copyLdm(java.util.function.Predicate<String> keep) {
        SafetensorsWriter writer = SafetensorsWriter.create();
        try (SafetensorsFile st = SafetensorsFile.open(LDM)) {
            for (TensorInfo t : st.tensors().values()) {
                if (keep.test(t.name())) {
                    writer.put(t.name(), t.shape(), st.floats(t.name()));
                }
            }
        }
        return writer;
    }

    /**
     * An SD2-style single file: the fixture's UNet with Linear proj_in/proj_out, its VAE, and the tiny
     * text encoder in OpenCLIP form (fused q/k/v, a 4th resblock and the CLIP head that must be dropped),
     * plus non-model keys that must be ignored.
     */
    private static Path writeSd2Style(Path file) {
        SafetensorsWriter writer = SafetensorsWriter.create();
        try (SafetensorsFile st = SafetensorsFile.open(LDM)) {
            for (TensorInfo t : st.tensors().values()) {
                boolean projection = t.name().matches(".*\\.(proj_in|proj_out)\\.weight") && t.shape().length == 4;
                if (t.name().startsWith(LdmKeyMap.UNET) || t.name().startsWith(LdmKeyMap.VAE)) {
                    long[] shape = projection ? new long[] {t.shape()[0], t.shape()[1]} : t.shape();
                    writer.put(t.name(), shape, st.floats(t.name()));
                }
            }
        }
        String o = LdmKeyMap.OPEN_CLIP;
        try (SafetensorsFile te = SafetensorsFile.open(Fixtures.tinySd1().resolve(FOLDER_FILES.get(TEXT_ENCODER)))) {
            writer.put(o + "token_embedding.weight", te.info("text_model.embeddings.token_embedding.weight").shape(),
                    te.floats("text_model.embeddings.token_embedding.weight"));
            writer.put(o + "positional_embedding", te.info("text_model.embeddings.position_embedding.weight").shape(),
                    te.floats("text_model.embeddings.position_embedding.weight"));
            writer.put(o + "ln_final.weight", new long[] {32}, te.floats("text_model.final_layer_norm.weight"));
            writer.put(o + "ln_final.bias", new long[] {32}, te.floats("text_model.final_layer_norm.bias"));
            for (int layer = 0; layer < 4; layer++) {
                // block 3 stands for ViT-H's 24th block, which SD2 never uses: any values will do
                String hf = "text_model.encoder.layers." + Math.min(layer, 2) + ".";
                String oc = o + "transformer.resblocks." + layer + ".";
                for (String suffix : List.of("weight", "bias")) {
                    float[] q = te.floats(hf + "self_attn.q_proj." + suffix);
                    float[] k = te.floats(hf + "self_attn.k_proj." + suffix);
                    float[] v = te.floats(hf + "self_attn.v_proj." + suffix);
                    long[] shape = suffix.equals("weight") ? new long[] {96, 32} : new long[] {96};
                    writer.put(oc + "attn.in_proj_" + suffix, shape, concat(q, k, v));
                    writer.put(oc + "attn.out_proj." + suffix, te.info(hf + "self_attn.out_proj." + suffix).shape(),
                            te.floats(hf + "self_attn.out_proj." + suffix));
                    writer.put(oc + "ln_1." + suffix, new long[] {32}, te.floats(hf + "layer_norm1." + suffix));
                    writer.put(oc + "ln_2." + suffix, new long[] {32}, te.floats(hf + "layer_norm2." + suffix));
                    writer.put(oc + "mlp.c_fc." + suffix, te.info(hf + "mlp.fc1." + suffix).shape(),
                            te.floats(hf + "mlp.fc1." + suffix));
                    writer.put(oc + "mlp.c_proj." + suffix, te.info(hf + "mlp.fc2." + suffix).shape(),
                            te.floats(hf + "mlp.fc2." + suffix));
                }
            }
        }
        writer.put(o + "text_projection", new long[] {32, 32}, new float[32 * 32]);
        writer.put(o + "logit_scale", new long[] {}, new float[] {4.6052f});
        writer.put("alphas_cumprod", new long[] {1000}, new float[1000]);
        writer.put("model_ema.decay", new long[] {}, new float[] {0.9999f});
        writer.write(file);
        return file;
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
