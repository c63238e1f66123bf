package dev.osmosis.engine.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.osmosis.engine.io.ModelFormatException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The shape of a CLIP text transformer, from transformers' {@code CLIPTextConfig} (a text_encoder
 * config.json). Keys a file leaves out take transformers' defaults, as from_pretrained does.
 */
public record ClipTextConfig(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int maxPositionEmbeddings,
        int vocabSize,
        String hiddenAct,
        double layerNormEps) {

    public ClipTextConfig {
        if (hiddenSize <= 0 || intermediateSize <= 0 || numHiddenLayers <= 0 || numAttentionHeads <= 0
                || maxPositionEmbeddings <= 0 || vocabSize <= 0) {
            throw new IllegalArgumentException("CLIP text config sizes must be positive: " + hiddenSize + ", "
                    + intermediateSize + ", " + numHiddenLayers + ", " + numAttentionHeads + ", "
                    + maxPositionEmbeddings + ", " + vocabSize);
        }
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not divisible by num_attention_heads "
                    + numAttentionHeads);
        }
    }

    /** SD1's text encoder, openai/clip-vit-large-patch14. */
    public static ClipTextConfig sd1() {
        return new ClipTextConfig(768, 3072, 12, 12, 77, 49408, "quick_gelu", 1e-5);
    }

    /** SD2's OpenCLIP ViT-H text tower as diffusers stores it: the last of its 24 blocks dropped. */
    public static ClipTextConfig sd2() {
        return new ClipTextConfig(1024, 4096, 23, 16, 77, 49408, "gelu", 1e-5);
    }

    /** A CLIPTextConfig object, or a full CLIPConfig whose "text_config" is used. */
    public static ClipTextConfig fromJson(JsonNode json) {
        JsonNode node = json.has("text_config") ? json.get("text_config") : json;
        return new ClipTextConfig(
                intOf(node, "hidden_size", 512),
                intOf(node, "intermediate_size", 2048),
                intOf(node, "num_hidden_layers", 12),
                intOf(node, "num_attention_heads", 8),
                intOf(node, "max_position_embeddings", 77),
                intOf(node, "vocab_size", 49408),
                node.path("hidden_act").asText("quick_gelu"),
                node.path("layer_norm_eps").asDouble(1e-5));
    }

    /** Reads a config.json file; problems are reported with the file named. */
    public static ClipTextConfig read(Path configJson) {
        try {
            return fromJson(new ObjectMapper().readTree(configJson.toFile()));
        } catch (IOException e) {
            throw new ModelFormatException(configJson + ": cannot be read as JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + ")", e);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(configJson + ": " + e.getMessage(), e);
        }
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    private static int intOf(JsonNode node, String key, int fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException(key + " must be an integer, found " + value);
        }
        return value.intValue();
    }
}
