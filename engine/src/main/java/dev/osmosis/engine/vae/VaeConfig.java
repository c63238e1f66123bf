package dev.osmosis.engine.vae;

import com.fasterxml.jackson.databind.JsonNode;
import dev.osmosis.engine.io.ConfigJson;
import dev.osmosis.engine.io.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shape of diffusers' {@code AutoencoderKL} as Stable Diffusion 1.x/2.x uses it (a vae/config.json).
 * Keys a file leaves out take diffusers' defaults, as from_pretrained does; block types other than
 * DownEncoderBlock2D / UpDecoderBlock2D, activations other than SiLU and switched-off parts
 * (mid-block attention, quant convs) belong to other model families and are refused.
 */
public record VaeConfig(
        int inChannels,
        int outChannels,
        int latentChannels,
        List<Integer> blockOutChannels,
        int layersPerBlock,
        int normNumGroups,
        double scalingFactor) {

    static final String DOWN_BLOCK = "DownEncoderBlock2D";
    static final String UP_BLOCK = "UpDecoderBlock2D";

    public VaeConfig {
        blockOutChannels = List.copyOf(blockOutChannels);
        if (inChannels <= 0 || outChannels <= 0 || latentChannels <= 0 || layersPerBlock <= 0 || normNumGroups <= 0) {
            throw new IllegalArgumentException("in_channels, out_channels, latent_channels, layers_per_block and "
                    + "norm_num_groups must be positive: " + inChannels + ", " + outChannels + ", " + latentChannels
                    + ", " + layersPerBlock + ", " + normNumGroups);
        }
        if (blockOutChannels.isEmpty()) {
            throw new IllegalArgumentException("block_out_channels is empty");
        }
        for (int channels : blockOutChannels) {
            if (channels <= 0 || channels % normNumGroups != 0) {
                throw new IllegalArgumentException("block_out_channels " + blockOutChannels
                        + " must be positive multiples of norm_num_groups " + normNumGroups);
            }
        }
        if (!(scalingFactor > 0) || Double.isInfinite(scalingFactor)) {
            throw new IllegalArgumentException("scaling_factor must be a positive number, found " + scalingFactor);
        }
    }

    /** The VAE of SD 1.x and 2.x (same architecture and scaling factor in both). */
    public static VaeConfig sd() {
        return new VaeConfig(3, 3, 4, List.of(128, 256, 512, 512), 2, 32, 0.18215);
    }

    /** A diffusers AutoencoderKL config object. */
    public static VaeConfig fromJson(JsonNode json) {
        List<Integer> channels = ConfigJson.integers(json, "block_out_channels", List.of(64));
        requireBlockTypes(json, "down_block_types", DOWN_BLOCK, channels.size());
        requireBlockTypes(json, "up_block_types", UP_BLOCK, channels.size());
        String act = json.path("act_fn").asText("silu");
        if (!act.equals("silu") && !act.equals("swish")) {
            throw new IllegalArgumentException("act_fn '" + act + "' is not supported (only silu)");
        }
        // later diffusers versions can switch these parts off; no SD 1.x/2.x VAE does
        for (String flag : List.of("mid_block_add_attention", "use_quant_conv", "use_post_quant_conv")) {
            if (!json.path(flag).asBoolean(true)) {
                throw new IllegalArgumentException(flag + " false is not supported");
            }
        }
        return new VaeConfig(
                ConfigJson.integer(json, "in_channels", 3),
                ConfigJson.integer(json, "out_channels", 3),
                ConfigJson.integer(json, "latent_channels", 4),
                channels,
                ConfigJson.integer(json, "layers_per_block", 1),
                ConfigJson.integer(json, "norm_num_groups", 32),
                ConfigJson.number(json, "scaling_factor", 0.18215));
    }

    /** Reads a config.json file; problems are reported with the file named. */
    public static VaeConfig read(Path configJson) {
        if (!Files.isRegularFile(configJson)) {
            throw new ModelFormatException(configJson + ": file not found (a diffusers vae folder holds config.json)");
        }
        return ConfigJson.read(configJson, VaeConfig::fromJson);
    }

    /** Image pixels per latent pixel along each axis: one stride-2 downsampler between blocks. */
    public int downsampleFactor() {
        return 1 << (blockOutChannels.size() - 1);
    }

    int channels(int block) {
        return blockOutChannels.get(block);
    }

    int blocks() {
        return blockOutChannels.size();
    }

    /** Block types are not stored: each must be {@code expected}, one per entry of block_out_channels. */
    private static void requireBlockTypes(JsonNode json, String key, String expected, int count) {
        JsonNode types = json.get(key);
        if (types == null || types.isNull()) {
            return;
        }
        if (!types.isArray()) {
            throw new IllegalArgumentException(key + " must be a list, found " + types);
        }
        if (types.size() != count) {
            throw new IllegalArgumentException(key + " has " + types.size() + " entries but block_out_channels has "
                    + count);
        }
        for (int i = 0; i < types.size(); i++) {
            if (!expected.equals(types.get(i).asText())) {
                throw new IllegalArgumentException(key + "[" + i + "] is " + types.get(i) + ", only " + expected
                        + " is supported");
            }
        }
    }
}
