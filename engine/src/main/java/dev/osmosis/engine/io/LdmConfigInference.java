package dev.osmosis.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * The diffusers config.json of each component of a single-file checkpoint, inferred from the
 * shapes of its (already renamed) tensors. What shapes cannot tell comes from the sidecar config
 * when there is one, else from the SD1/SD2 conventions:
 * <ul>
 *   <li>UNet heads ({@code attention_head_dim}, diffusers' name for the NUMBER of heads): the sidecar's
 *       num_heads (one number) or num_head_channels (channels / width per block); without a sidecar
 *       SD1 uses 8 heads everywhere and SD2 64-wide heads, max(1, channels / 64) per block.</li>
 *   <li>Text encoder heads: the caller's override, else max(1, hidden_size / 64) (CLIP ViT-L and
 *       OpenCLIP ViT-H both use 64-wide heads). Tiny test models need the override.</li>
 *   <li>sample_size: the sidecar's model.params.image_size, else 64 (512 px), 96 (768 px) for SD2-v.</li>
 *   <li>VAE scaling_factor: the sidecar's scale_factor, else 0.18215 (SD1 and SD2).</li>
 * </ul>
 * Where both the weights and the sidecar say something (context_dim, use_linear_in_transformer)
 * they must agree: a mismatch means the sidecar belongs to another model.
 */
final class LdmConfigInference {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final double SD_SCALING_FACTOR = 0.18215;

    private LdmConfigInference() {}

    static ObjectNode unet(Path file, Map<String, long[]> shapes, boolean v2, LdmSidecar sidecar,
                           String predictionType) {
        Shapes s = new Shapes(file, "UNet", shapes);
        int levels = s.count("down_blocks.%d.resnets.0.conv1.weight");
        int layers = s.count("down_blocks.0.resnets.%d.conv1.weight");
        ArrayNode channels = NODES.arrayNode();
        ArrayNode down = NODES.arrayNode();
        ArrayNode up = NODES.arrayNode();
        for (int i = 0; i < levels; i++) {
            channels.add(s.dim("down_blocks." + i + ".resnets.0.conv1.weight", 0));
            down.add(s.has("down_blocks." + i + ".attentions.0.proj_in.weight") ? "CrossAttnDownBlock2D" : "DownBlock2D");
            up.add(s.has("up_blocks." + i + ".attentions.0.proj_in.weight") ? "CrossAttnUpBlock2D" : "UpBlock2D");
        }
        // the mid block always has attention in SD1/SD2; its shapes stand for every transformer
        String attention = "mid_block.attentions.0.";
        int crossAttentionDim = s.dim(attention + "transformer_blocks.0.attn2.to_k.weight", 1);
        boolean linear = s.rank(attention + "proj_in.weight") == 2;
        if (sidecar != null) {
            agree(sidecar, "context_dim", sidecar.contextDim(), crossAttentionDim);
            agree(sidecar, "use_linear_in_transformer", sidecar.useLinearInTransformer(), linear);
        }

        ObjectNode c = NODES.objectNode();
        c.put("_class_name", "UNet2DConditionModel");
        c.put("act_fn", "silu");
        c.set("attention_head_dim", unetHeads(v2, sidecar, channels));
        c.set("block_out_channels", channels);
        c.put("center_input_sample", false);
        c.put("conv_in_kernel", s.dim("conv_in.weight", 2));
        c.put("conv_out_kernel", s.dim("conv_out.weight", 2));
        c.put("cross_attention_dim", crossAttentionDim);
        c.set("down_block_types", down);
        c.put("downsample_padding", 1);
        c.put("dual_cross_attention", false);
        c.put("flip_sin_to_cos", true);
        c.put("freq_shift", 0);
        c.put("in_channels", s.dim("conv_in.weight", 1));
        c.put("layers_per_block", layers);
        c.put("mid_block_scale_factor", 1);
        c.put("mid_block_type", "UNetMidBlock2DCrossAttn");
        c.put("norm_eps", 1e-5);
        c.put("norm_num_groups", 32); // GroupNorm's group count is not in the weights; every SD model uses 32
        c.put("only_cross_attention", false);
        c.put("out_channels", s.dim("conv_out.weight", 0));
        c.put("resnet_time_scale_shift", "default");
        c.put("sample_size", unetSampleSize(v2, sidecar, predictionType));
        c.put("time_embedding_type", "positional");
        c.put("transformer_layers_per_block", s.count(attention + "transformer_blocks.%d.norm1.weight"));
        c.set("up_block_types", up);
        // SD2.1 sets it to keep fp16 from overflowing; computing in fp32 it changes nothing
        c.put("upcast_attention", false);
        c.put("use_linear_projection", linear);
        return c;
    }

    private static JsonNode unetHeads(boolean v2, LdmSidecar sidecar, ArrayNode channels) {
        Integer numHeads = sidecar == null ? null : sidecar.numHeads();
        Integer headWidth = sidecar == null ? null : sidecar.numHeadChannels();
        if (numHeads != null) {
            return NODES.numberNode(numHeads);
        }
        if (headWidth == null && !v2) {
            return NODES.numberNode(8);
        }
        int width = headWidth == null ? 64 : headWidth;
        ArrayNode heads = NODES.arrayNode();
        channels.forEach(ch -> heads.add(Math.max(1, ch.intValue() / width)));
        return heads;
    }

    private static int unetSampleSize(boolean v2, LdmSidecar sidecar, String predictionType) {
        if (sidecar != null && sidecar.imageSize() != null) {
            return sidecar.imageSize();
        }
        return v2 && "v_prediction".equals(predictionType) ? 96 : 64;
    }

    static ObjectNode vae(Path file, Map<String, long[]> shapes, int unetSampleSize, LdmSidecar sidecar) {
        Shapes s = new Shapes(file, "VAE", shapes);
        int levels = s.count("encoder.down_blocks.%d.resnets.0.conv1.weight");
        ArrayNode channels = NODES.arrayNode();
        ArrayNode down = NODES.arrayNode();
        ArrayNode up = NODES.arrayNode();
        for (int i = 0; i < levels; i++) {
            channels.add(s.dim("encoder.down_blocks." + i + ".resnets.0.conv1.weight", 0));
            down.add("DownEncoderBlock2D");
            up.add("UpDecoderBlock2D");
        }
        ObjectNode c = NODES.objectNode();
        c.put("_class_name", "AutoencoderKL");
        c.put("act_fn", "silu");
        c.set("block_out_channels", channels);
        c.set("down_block_types", down);
        c.put("force_upcast", true);
        c.put("in_channels", s.dim("encoder.conv_in.weight", 1));
        c.put("latent_channels", s.dim("decoder.conv_in.weight", 1));
        c.put("layers_per_block", s.count("encoder.down_blocks.0.resnets.%d.conv1.weight"));
        c.put("norm_num_groups", 32);
        c.put("out_channels", s.dim("decoder.conv_out.weight", 0));
        // pixels = latent side x 2^(levels - 1), the VAE's down-sampling
        c.put("sample_size", unetSampleSize << Math.max(0, levels - 1));
        c.put("scaling_factor", sidecar != null && sidecar.scaleFactor() != null
                ? sidecar.scaleFactor() : SD_SCALING_FACTOR);
        c.set("up_block_types", up);
        return c;
    }

    /** A transformers CLIPTextConfig; {@code heads} null means max(1, hidden / 64). */
    static ObjectNode clipText(Path file, Map<String, long[]> shapes, boolean openClip, Integer heads) {
        Shapes s = new Shapes(file, "text encoder", shapes);
        int hidden = s.dim("text_model.embeddings.token_embedding.weight", 1);
        int numHeads = heads != null ? heads : Math.max(1, hidden / 64);
        if (numHeads <= 0 || hidden % numHeads != 0) {
            throw new ModelFormatException(file + ": text encoder width " + hidden + " is not divisible into "
                    + numHeads + " attention heads");
        }
        ObjectNode c = NODES.objectNode();
        c.putArray("architectures").add("CLIPTextModel");
        // legacy ids of the hub configs; the pooled output finds the end token by argmax(ids)
        c.put("bos_token_id", 0);
        c.put("eos_token_id", 2);
        // SD1's openai CLIP uses the sigmoid approximation, OpenCLIP the exact erf GELU
        c.put("hidden_act", openClip ? "gelu" : "quick_gelu");
        c.put("hidden_size", hidden);
        c.put("intermediate_size", s.dim("text_model.encoder.layers.0.mlp.fc1.weight", 0));
        c.put("layer_norm_eps", 1e-5);
        c.put("max_position_embeddings", s.dim("text_model.embeddings.position_embedding.weight", 0));
        c.put("model_type", "clip_text_model");
        c.put("num_attention_heads", numHeads);
        c.put("num_hidden_layers", s.count("text_model.encoder.layers.%d.layer_norm1.weight"));
        c.put("pad_token_id", 1);
        c.put("vocab_size", s.dim("text_model.embeddings.token_embedding.weight", 0));
        return c;
    }

    private static void agree(LdmSidecar sidecar, String key, Object said, Object weights) {
        if (said != null && !said.equals(weights)) {
            throw new ModelFormatException(sidecar.file() + ": " + key + " is " + said + " but the checkpoint's"
                    + " weights say " + weights + " (is this config for another model?)");
        }
    }

    /** Shape look-ups that name the file and the component when a tensor the inference needs is absent. */
    private record Shapes(Path file, String component, Map<String, long[]> shapes) {
        boolean has(String key) {
            return shapes.containsKey(key);
        }

        long[] shape(String key) {
            long[] shape = shapes.get(key);
            if (shape == null) {
                throw new ModelFormatException(file + ": " + component + " tensor '" + key
                        + "' (diffusers name) is missing, cannot infer the " + component + " config");
            }
            return shape;
        }

        int rank(String key) {
            return shape(key).length;
        }

        int dim(String key, int axis) {
            long[] shape = shape(key);
            if (axis >= shape.length) {
                throw new ModelFormatException(file + ": " + component + " tensor '" + key + "' has "
                        + shape.length + " dimensions, expected at least " + (axis + 1));
            }
            return Math.toIntExact(shape[axis]);
        }

        /** How many consecutive indices 0, 1, ... fill {@code pattern}'s %d. */
        int count(String pattern) {
            int n = 0;
            while (shapes.containsKey(pattern.formatted(n))) {
                n++;
            }
            if (n == 0) {
                throw new ModelFormatException(file + ": " + component + " tensor '" + pattern.formatted(0)
                        + "' (diffusers name) is missing, cannot infer the " + component + " config");
            }
            return n;
        }
    }
}
