package dev.osmosis.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.osmosis.engine.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The key rules beyond the tiny fixture: every row of the fixture's ldm_key_map.tsv, and the
 * four-level layout of real SD1.5 / SD2 UNets and VAEs (header-only, no data is read).
 */
class LdmKeyMapTest {
    private static final Path FILE = Path.of("sd.safetensors");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRowOfTheFixtureKeyMapIsReproduced() throws IOException {
        List<String> rows = Files.readAllLines(Fixtures.tinySd1().resolve("ldm_key_map.tsv"));
        Map<String, TensorInfo> ldm = new LinkedHashMap<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split("\t");
            ldm.put(f[2], info(f[2], shape(f[4])));
        }
        Map<String, Map<String, LdmKeyMap.Source>> converted = Map.of(
                "unet", LdmKeyMap.unet(FILE, ldm), "vae", LdmKeyMap.vae(FILE, ldm), "text_encoder", LdmKeyMap.clipText(ldm));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split("\t");
            LdmKeyMap.Source source = converted.get(f[0]).get(f[1]);
            assertNotNull(source, f[0] + " " + f[1] + " not produced");
            assertEquals(f[2], source.ldmKey(), f[1]);
            assertArrayEquals(shape(f[3]), source.shape(), f[1]);
        }
        assertEquals(rows.size() - 1, converted.values().stream().mapToInt(Map::size).sum(), "no extra keys");
    }

    @Test
    void sd15UnetLayoutMapsAndInfersItsConfig() {
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, TensorInfo> ldm = sdUnet(false, expected);
        Map<String, LdmKeyMap.Source> unet = LdmKeyMap.unet(FILE, ldm);
        expected.forEach((ldmKey, diffusers) -> assertEquals(ldmKey, unet.get(diffusers) == null ? null
                : unet.get(diffusers).ldmKey(), diffusers));
        assertEquals(expected.size(), unet.size());

        ObjectNode config = LdmConfigInference.unet(FILE, shapes(unet), false, null, null);
        assertEquals(json("[320, 640, 1280, 1280]"), config.get("block_out_channels"));
        assertEquals(json("[\"CrossAttnDownBlock2D\", \"CrossAttnDownBlock2D\", \"CrossAttnDownBlock2D\", \"DownBlock2D\"]"),
                config.get("down_block_types"));
        assertEquals(json("[\"UpBlock2D\", \"CrossAttnUpBlock2D\", \"CrossAttnUpBlock2D\", \"CrossAttnUpBlock2D\"]"),
                config.get("up_block_types"));
        assertEquals(8, config.get("attention_head_dim").intValue());
        assertEquals(768, config.get("cross_attention_dim").intValue());
        assertEquals(2, config.get("layers_per_block").intValue());
        assertFalse(config.get("use_linear_projection").booleanValue());
    }

    @Test
    void sd2UnetHasLinearProjectionsAnd64WideHeads() {
        Map<String, TensorInfo> ldm = sdUnet(true, new LinkedHashMap<>());
        ObjectNode config = LdmConfigInference.unet(FILE, shapes(LdmKeyMap.unet(FILE, ldm)), true, null, "v_prediction");
        assertEquals(json("[5, 10, 20, 20]"), config.get("attention_head_dim"));
        assertEquals(1024, config.get("cross_attention_dim").intValue());
        assertTrue(config.get("use_linear_projection").booleanValue());
        assertEquals(96, config.get("sample_size").intValue(), "768 px for SD2-v");
    }

    @Test
    void sdVaeDecoderLevelsAreNumberedInReverse() {
        Map<String, TensorInfo> ldm = new LinkedHashMap<>();
        int[] ch = {128, 256, 512, 512};
        String e = LdmKeyMap.VAE + "encoder.";
        String d = LdmKeyMap.VAE + "decoder.";
        add(ldm, e + "conv_in.weight", 128, 3, 3, 3);
        add(ldm, d + "conv_in.weight", 512, 4, 3, 3);
        add(ldm, d + "conv_out.weight", 3, 128, 3, 3);
        for (int l = 0; l < 4; l++) {
            for (int j = 0; j < 2; j++) {
                add(ldm, e + "down." + l + ".block." + j + ".conv1.weight", ch[l], ch[l], 3, 3);
            }
            for (int j = 0; j < 3; j++) {
                add(ldm, d + "up." + l + ".block." + j + ".conv1.weight", ch[l], ch[l], 3, 3);
            }
            if (l < 3) {
                add(ldm, e + "down." + l + ".downsample.conv.weight", ch[l], ch[l], 3, 3);
            }
            if (l > 0) {
                add(ldm, d + "up." + l + ".upsample.conv.weight", ch[l], ch[l], 3, 3);
            }
        }
        add(ldm, d + "mid.attn_1.proj_out.weight", 512, 512, 1, 1);
        Map<String, LdmKeyMap.Source> vae = LdmKeyMap.vae(FILE, ldm);
        assertEquals(d + "up.0.block.2.conv1.weight", vae.get("decoder.up_blocks.3.resnets.2.conv1.weight").ldmKey());
        assertEquals(d + "up.3.upsample.conv.weight", vae.get("decoder.up_blocks.0.upsamplers.0.conv.weight").ldmKey());
        assertEquals(d + "up.1.upsample.conv.weight", vae.get("decoder.up_blocks.2.upsamplers.0.conv.weight").ldmKey());
        assertFalse(vae.containsKey("decoder.up_blocks.3.upsamplers.0.conv.weight"));
        assertArrayEquals(new long[] {512, 512}, vae.get("decoder.mid_block.attentions.0.to_out.0.weight").shape());

        ObjectNode config = LdmConfigInference.vae(FILE, shapes(vae), 64, null);
        assertEquals(json("[128, 256, 512, 512]"), config.get("block_out_channels"));
        assertEquals(512, config.get("sample_size").intValue());
        assertEquals(4, config.get("latent_channels").intValue());
    }

    /**
     * A header-only SD1.5 (or SD2) UNet in LDM names, and in {@code expected} the diffusers name of
     * each LDM key by diffusers' own block structure.
     */
    private static Map<String, TensorInfo> sdUnet(boolean v2, Map<String, String> expected) {
        int[] ch = {320, 640, 1280, 1280};
        boolean[] attention = {true, true, true, false};
        int context = v2 ? 1024 : 768;
        Map<String, TensorInfo> ldm = new LinkedHashMap<>();
        String u = LdmKeyMap.UNET;
        add(ldm, expected, u + "input_blocks.0.0.weight", "conv_in.weight", 320, 4, 3, 3);
        add(ldm, expected, u + "time_embed.0.weight", "time_embedding.linear_1.weight", 1280, 320);
        add(ldm, expected, u + "out.2.weight", "conv_out.weight", 4, 320, 3, 3);
        for (int l = 0; l < 4; l++) {
            for (int j = 0; j < 2; j++) {
                int n = 3 * l + j + 1;
                String down = "down_blocks." + l + ".";
                add(ldm, expected, u + "input_blocks." + n + ".0.in_layers.2.weight", down + "resnets." + j
                        + ".conv1.weight", ch[l], ch[l], 3, 3);
                add(ldm, expected, u + "input_blocks." + n + ".0.skip_connection.weight", down + "resnets." + j
                        + ".conv_shortcut.weight", ch[l], ch[l], 1, 1);
                if (attention[l]) {
                    attention(ldm, expected, u + "input_blocks." + n + ".1.", down + "attentions." + j + ".", ch[l],
                            context, v2);
                }
            }
            if (l < 3) {
                add(ldm, expected, u + "input_blocks." + (3 * l + 3) + ".0.op.weight",
                        "down_blocks." + l + ".downsamplers.0.conv.weight", ch[l], ch[l], 3, 3);
            }
        }
        add(ldm, expected, u + "middle_block.0.emb_layers.1.weight", "mid_block.resnets.0.time_emb_proj.weight",
                1280, 1280);
        attention(ldm, expected, u + "middle_block.1.", "mid_block.attentions.0.", 1280, context, v2);
        add(ldm, expected, u + "middle_block.2.out_layers.3.weight", "mid_block.resnets.1.conv2.weight",
                1280, 1280, 3, 3);
        for (int i = 0; i < 4; i++) {
            int level = 3 - i;
            for (int j = 0; j < 3; j++) {
                int n = 3 * i + j;
                String up = "up_blocks." + i + ".";
                add(ldm, expected, u + "output_blocks." + n + ".0.out_layers.0.weight", up + "resnets." + j
                        + ".norm2.weight", ch[level]);
                if (attention[level]) {
                    attention(ldm, expected, u + "output_blocks." + n + ".1.", up + "attentions." + j + ".", ch[level],
                            context, v2);
                }
            }
            if (i < 3) {
                int sub = attention[level] ? 2 : 1;
                add(ldm, expected, u + "output_blocks." + (3 * i + 2) + "." + sub + ".conv.weight",
                        "up_blocks." + i + ".upsamplers.0.conv.weight", ch[level], ch[level], 3, 3);
            }
        }
        return ldm;
    }

    private static void attention(Map<String, TensorInfo> ldm, Map<String, String> expected, String ldmPrefix,
                                  String diffusersPrefix, long c, long context, boolean linear) {
        long[] projection = linear ? new long[] {c, c} : new long[] {c, c, 1, 1};
        add(ldm, expected, ldmPrefix + "proj_in.weight", diffusersPrefix + "proj_in.weight", projection);
        add(ldm, expected, ldmPrefix + "transformer_blocks.0.attn2.to_k.weight",
                diffusersPrefix + "transformer_blocks.0.attn2.to_k.weight", c, context);
        add(ldm, expected, ldmPrefix + "transformer_blocks.0.norm1.weight",
                diffusersPrefix + "transformer_blocks.0.norm1.weight", c);
    }

    private static void add(Map<String, TensorInfo> ldm, Map<String, String> expected, String ldmKey,
                            String diffusersKey, long... shape) {
        add(ldm, ldmKey, shape);
        expected.put(ldmKey, diffusersKey);
    }

    private static void add(Map<String, TensorInfo> ldm, String key, long... shape) {
        ldm.put(key, info(key, shape));
    }

    private static TensorInfo info(String name, long[] shape) {
        return new TensorInfo(name, DType.F16, shape, 0, 0);
    }

    private static Map<String, long[]> shapes(Map<String, LdmKeyMap.Source> sources) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        sources.forEach((k, s) -> shapes.put(k, s.shape()));
        return shapes;
    }

    private static long[] shape(String text) {
        String inner = text.replaceAll("[\\[\\] ]", "");
        return inner.isEmpty() ? new long[0]
                : Arrays.stream(inner.split(",")).mapToLong(Long::parseLong).toArray();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
