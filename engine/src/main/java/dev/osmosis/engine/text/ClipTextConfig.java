package dev.osmosis.engine.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.osmosis.engine.io.ConfigJson;
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
                ConfigJson.integer(node, "hidden_size", 512),
                ConfigJson.integer(node, "intermediate_size", 2048),
                ConfigJson.integer(node, "num_hidden_layers", 12),
                ConfigJson.integer(node, "num_attention_heads", 8),
                ConfigJson.integer(node, "max_position_embeddings", 77),
                ConfigJson.integer(node, "vocab_size", 49408),
                ConfigJson.text(node, "hidden_act", "quick_gelu"),
                ConfigJson.number(node, "layer_norm_eps", 1e-5));
    }

    /** Reads a config.json file; problems are reported with the file named. */
    public static ClipTextConfig read(Path configJson) {
        return ConfigJson.read(configJson, ClipTextConfig::fromJson);
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }
}
