package dev.osmosis.engine.unet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.osmosis.engine.io.ConfigJson;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The shape of a diffusers {@code UNet2DConditionModel} (unet/config.json), for the SD 1.x / 2.x
 * family. Per-block values that diffusers accepts as an int or a list are stored per block.
 *
 * @param headCounts attention heads per down block. diffusers names this {@code attention_head_dim},
 *     but in UNet2DConditionModel the value is the number of heads (head size = channels / heads)
 * @param transformerDepth transformer blocks inside each Transformer2DModel, per down block
 */
public record UNetConfig(
        int inChannels,
        int outChannels,
        List<Integer> blockOutChannels,
        List<String> downBlockTypes,
        List<String> upBlockTypes,
        List<Integer> layersPerBlock,
        List<Integer> headCounts,
        List<Integer> transformerDepth,
        int crossAttentionDim,
        boolean useLinearProjection,
        int normNumGroups,
        double normEps,
        boolean flipSinToCos,
        double freqShift,
        int sampleSize) {

    static final String CROSS_ATTN_DOWN = "CrossAttnDownBlock2D";
    static final String DOWN = "DownBlock2D";
    static final String CROSS_ATTN_UP = "CrossAttnUpBlock2D";
    static final String UP = "UpBlock2D";
    private static final Set<String> DOWN_TYPES = Set.of(CROSS_ATTN_DOWN, DOWN);
    private static final Set<String> UP_TYPES = Set.of(CROSS_ATTN_UP, UP);

    public UNetConfig {
        blockOutChannels = List.copyOf(blockOutChannels);
        downBlockTypes = List.copyOf(downBlockTypes);
        upBlockTypes = List.copyOf(upBlockTypes);
        layersPerBlock = List.copyOf(layersPerBlock);
        headCounts = List.copyOf(headCounts);
        transformerDepth = List.copyOf(transformerDepth);
        int levels = blockOutChannels.size();
        if (levels == 0) {
            throw new IllegalArgumentException("block_out_channels is empty");
        }
        for (var list : List.of(downBlockTypes, upBlockTypes, layersPerBlock, headCounts, transformerDepth)) {
            if (list.size() != levels) {
                throw new IllegalArgumentException("every per-block list must have " + levels
                        + " entries like block_out_channels " + blockOutChannels + ", found " + list);
            }
        }
        for (String type : downBlockTypes) {
            if (!DOWN_TYPES.contains(type)) {
                throw new IllegalArgumentException("unsupported down block type '" + type + "' (supported: "
                        + DOWN_TYPES + ")");
            }
        }
        for (String type : upBlockTypes) {
            if (!UP_TYPES.contains(type)) {
                throw new IllegalArgumentException("unsupported up block type '" + type + "' (supported: "
                        + UP_TYPES + ")");
            }
        }
        for (int i = 0; i < levels; i++) {
            int channels = blockOutChannels.get(i);
            if (channels <= 0 || channels % normNumGroups != 0) {
                throw new IllegalArgumentException("block_out_channels[" + i + "] = " + channels
                        + " must be a positive multiple of norm_num_groups " + normNumGroups);
            }
            if (headCounts.get(i) <= 0 || channels % headCounts.get(i) != 0) {
                throw new IllegalArgumentException(channels + " channels of block " + i + " do not split into "
                        + headCounts.get(i) + " attention heads");
            }
        }
    }

    /** Stable Diffusion 1.x (runwayml/stable-diffusion-v1-5), 860M parameters. */
    public static UNetConfig sd15() {
        return new UNetConfig(4, 4, List.of(320, 640, 1280, 1280),
                List.of(CROSS_ATTN_DOWN, CROSS_ATTN_DOWN, CROSS_ATTN_DOWN, DOWN),
                List.of(UP, CROSS_ATTN_UP, CROSS_ATTN_UP, CROSS_ATTN_UP),
                List.of(2, 2, 2, 2), List.of(8, 8, 8, 8), List.of(1, 1, 1, 1), 768, false, 32, 1e-5, true, 0, 64);
    }

    /** Stable Diffusion 2.x: 64-wide heads, linear projections, OpenCLIP-H context. */
    public static UNetConfig sd2() {
        return new UNetConfig(4, 4, List.of(320, 640, 1280, 1280),
                List.of(CROSS_ATTN_DOWN, CROSS_ATTN_DOWN, CROSS_ATTN_DOWN, DOWN),
                List.of(UP, CROSS_ATTN_UP, CROSS_ATTN_UP, CROSS_ATTN_UP),
                List.of(2, 2, 2, 2), List.of(5, 10, 20, 20), List.of(1, 1, 1, 1), 1024, true, 32, 1e-5, true, 0, 96);
    }

    /** Parses a diffusers unet/config.json; keys it lacks take UNet2DConditionModel's defaults. */
    public static UNetConfig fromJson(JsonNode json) {
        refuseUnsupported(json);
        List<Integer> channels = ints(json, "block_out_channels", List.of(320, 640, 1280, 1280), 0);
        int levels = channels.size();
        // num_attention_heads is the correct name; older configs put the head count in attention_head_dim
        JsonNode heads = ConfigJson.present(json, "num_attention_heads") ? json.get("num_attention_heads")
                : json.get("attention_head_dim");
        return new UNetConfig(
                ConfigJson.integer(json, "in_channels", 4),
                ConfigJson.integer(json, "out_channels", 4),
                channels,
                ConfigJson.strings(json, "down_block_types",
                        List.of(CROSS_ATTN_DOWN, CROSS_ATTN_DOWN, CROSS_ATTN_DOWN, DOWN)),
                ConfigJson.strings(json, "up_block_types", List.of(UP, CROSS_ATTN_UP, CROSS_ATTN_UP, CROSS_ATTN_UP)),
                ints(json, "layers_per_block", List.of(2), levels),
                ints("attention_head_dim", heads, List.of(8), levels),
                ints(json, "transformer_layers_per_block", List.of(1), levels),
                ConfigJson.integer(json, "cross_attention_dim", 1280),
                ConfigJson.bool(json, "use_linear_projection", false),
                ConfigJson.integer(json, "norm_num_groups", 32),
                ConfigJson.number(json, "norm_eps", 1e-5),
                ConfigJson.bool(json, "flip_sin_to_cos", true),
                ConfigJson.number(json, "freq_shift", 0),
                ConfigJson.integer(json, "sample_size", 64));
    }

    /** Reads a config.json; problems are reported with the file named. */
    public static UNetConfig read(Path configJson) {
        return ConfigJson.read(configJson, UNetConfig::fromJson);
    }

    public int levels() {
        return blockOutChannels.size();
    }

    /** Width of the time embedding MLP: 4 x the first block's channels. */
    public int timeEmbedDim() {
        return blockOutChannels.get(0) * 4;
    }

    public boolean hasCrossAttention(int downBlock) {
        return downBlockTypes.get(downBlock).equals(CROSS_ATTN_DOWN);
    }

    /** Conditioning features the UNet cannot take: say so instead of producing garbage. */
    private static void refuseUnsupported(JsonNode json) {
        for (String key : List.of("addition_embed_type", "class_embed_type", "encoder_hid_dim_type",
                "time_cond_proj_dim")) {
            if (ConfigJson.present(json, key)) {
                throw new IllegalArgumentException(key + " = " + json.get(key)
                        + " is not supported (SDXL, unCLIP and guidance-distilled UNets are not yet supported)");
            }
        }
        String mid = json.path("mid_block_type").asText("UNetMidBlock2DCrossAttn");
        if (!mid.equals("UNetMidBlock2DCrossAttn")) {
            throw new IllegalArgumentException("mid_block_type '" + mid + "' is not supported");
        }
        if (json.path("mid_block_scale_factor").asDouble(1) != 1 || ConfigJson.bool(json, "only_cross_attention", false)
                || ConfigJson.bool(json, "dual_cross_attention", false)
                || !json.path("resnet_time_scale_shift").asText("default").equals("default")) {
            throw new IllegalArgumentException(
                    "non-default mid_block_scale_factor, only/dual_cross_attention or resnet_time_scale_shift"
                            + " are not supported");
        }
        if (json.path("cross_attention_dim").isArray()) {
            throw new IllegalArgumentException("per-block cross_attention_dim is not supported");
        }
        if (!json.path("act_fn").asText("silu").equals("silu")) {
            throw new IllegalArgumentException("act_fn must be silu, got " + json.get("act_fn"));
        }
    }

    /** An int or a list of ints; a single int is repeated {@code levels} times (levels 0: a list is required). */
    private static List<Integer> ints(JsonNode json, String key, List<Integer> fallback, int levels) {
        return ints(key, json.get(key), fallback, levels);
    }

    private static List<Integer> ints(String key, JsonNode node, List<Integer> fallback, int levels) {
        if (node == null || node.isNull()) {
            return levels > 0 && fallback.size() == 1 ? Collections.nCopies(levels, fallback.get(0)) : fallback;
        }
        if (node.isIntegralNumber() && levels > 0) {
            return Collections.nCopies(levels, node.intValue());
        }
        return ConfigJson.integers(key, node);
    }
}
