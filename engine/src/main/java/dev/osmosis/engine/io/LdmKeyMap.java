package dev.osmosis.engine.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renames the tensors of a single-file original-LDM checkpoint to the keys of the diffusers
 * components, the rules of diffusers' {@code convert_from_ckpt.py} (convert_ldm_unet_checkpoint,
 * convert_ldm_vae_checkpoint, convert_ldm_clip_checkpoint, convert_open_clip_checkpoint) written as
 * one function per component. The fixture's README ("How LDM keys map") shows every rule.
 *
 * <p>Keys under a component prefix that no rule knows fail loudly: a half-converted model would
 * produce noise with no hint why. Keys outside the three prefixes (model_ema.*, alphas_cumprod,
 * betas, ...) are not looked at.
 */
final class LdmKeyMap {
    static final String UNET = "model.diffusion_model.";
    static final String VAE = "first_stage_model.";
    static final String CLIP = "cond_stage_model.transformer.";
    static final String OPEN_CLIP = "cond_stage_model.model.";

    /** One diffusers tensor: part {@code chunk} of {@code chunks} equal row slices of an LDM tensor, reshaped. */
    record Source(String ldmKey, long[] shape, int chunk, int chunks) {
        static Source whole(TensorInfo info) {
            return new Source(info.name(), info.shape(), 0, 1);
        }
    }

    private static final Pattern NUMBERED = Pattern.compile("(\\w+)\\.(\\d+)\\.(\\d+)\\.(.+)");
    private static final Pattern VAE_LEVEL = Pattern.compile(
            "(down|up)\\.(\\d+)\\.(block\\.(\\d+)|downsample|upsample)\\.(.+)");
    private static final Pattern VAE_ATTENTION_WEIGHT = Pattern.compile(
            ".*\\.mid_block\\.attentions\\.0\\.(to_[qkv]|to_out\\.0)\\.weight");
    private static final Map<String, String> UNET_RESNET = Map.of(
            "in_layers.0", "norm1", "in_layers.2", "conv1", "emb_layers.1", "time_emb_proj",
            "out_layers.0", "norm2", "out_layers.3", "conv2", "skip_connection", "conv_shortcut");
    private static final List<String> TRANSFORMER_PARTS = List.of("norm.", "proj_in.", "proj_out.",
            "transformer_blocks.");
    private static final Map<String, String> VAE_ATTENTION = Map.of(
            "norm", "group_norm", "q", "to_q", "k", "to_k", "v", "to_v", "proj_out", "to_out.0");
    private static final Map<String, String> OPEN_CLIP_LAYER = Map.of(
            "ln_1.", "layer_norm1.", "ln_2.", "layer_norm2.", "mlp.c_fc.", "mlp.fc1.", "mlp.c_proj.", "mlp.fc2.",
            "attn.out_proj.", "self_attn.out_proj.");

    private LdmKeyMap() {}

    /** The UNet: input_blocks / middle_block / output_blocks regrouped into down, mid and up blocks. */
    static Map<String, Source> unet(Path file, Map<String, TensorInfo> tensors) {
        int perLevel = unetLayersPerBlock(file, tensors) + 1; // res blocks + the down/upsampler slot
        Map<String, Source> out = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        for (TensorInfo info : withPrefix(tensors, UNET)) {
            String key = info.name().substring(UNET.length());
            String name = unetName(key, perLevel);
            if (name == null) {
                unknown.add(info.name());
            } else {
                out.put(name, Source.whole(info));
            }
        }
        failOnUnknown(file, "UNet", unknown);
        return out;
    }

    private static String unetName(String key, int perLevel) {
        if (key.startsWith("time_embed.0.")) {
            return "time_embedding.linear_1." + key.substring("time_embed.0.".length());
        }
        if (key.startsWith("time_embed.2.")) {
            return "time_embedding.linear_2." + key.substring("time_embed.2.".length());
        }
        if (key.startsWith("out.0.")) {
            return "conv_norm_out." + key.substring("out.0.".length());
        }
        if (key.startsWith("out.2.")) {
            return "conv_out." + key.substring("out.2.".length());
        }
        if (key.startsWith("middle_block.")) {
            String[] p = key.split("\\.", 3);
            return switch (p.length == 3 ? p[1] : "") {
                case "0" -> unetResnet("mid_block.resnets.0.", p[2]);
                case "1" -> transformer("mid_block.attentions.0.", p[2]);
                case "2" -> unetResnet("mid_block.resnets.1.", p[2]);
                default -> null;
            };
        }
        Matcher m = NUMBERED.matcher(key);
        if (!m.matches()) {
            return null;
        }
        int block = Integer.parseInt(m.group(2));
        int part = Integer.parseInt(m.group(3));
        String rest = m.group(4);
        if (m.group(1).equals("input_blocks")) {
            if (block == 0) {
                return part == 0 ? "conv_in." + rest : null;
            }
            // input block n >= 1 is layer (n-1) % perLevel of level (n-1) / perLevel; the last slot downsamples
            int level = (block - 1) / perLevel;
            int layer = (block - 1) % perLevel;
            String down = "down_blocks." + level + ".";
            if (layer == perLevel - 1) {
                return part == 0 && rest.startsWith("op.")
                        ? down + "downsamplers.0.conv." + rest.substring(3) : null;
            }
            return part == 0 ? unetResnet(down + "resnets." + layer + ".", rest)
                    : part == 1 ? transformer(down + "attentions." + layer + ".", rest) : null;
        }
        if (m.group(1).equals("output_blocks")) {
            // output block n is layer n % perLevel of up block n / perLevel; its upsampler sits after
            // the resnet (and the attention, if any) of the level's last layer
            String up = "up_blocks." + block / perLevel + ".";
            int layer = block % perLevel;
            if (part == 0) {
                return unetResnet(up + "resnets." + layer + ".", rest);
            }
            if ((part == 1 || part == 2) && rest.startsWith("conv.")) {
                return layer == perLevel - 1 ? up + "upsamplers.0.conv." + rest.substring(5) : null;
            }
            return part == 1 ? transformer(up + "attentions." + layer + ".", rest) : null;
        }
        return null;
    }

    private static String unetResnet(String prefix, String rest) {
        for (Map.Entry<String, String> e : UNET_RESNET.entrySet()) {
            if (rest.startsWith(e.getKey() + ".")) {
                return prefix + e.getValue() + rest.substring(e.getKey().length());
            }
        }
        return null;
    }

    /** Transformer2DModel names are the same in both formats (SD2's Linear proj_in/out included). */
    private static String transformer(String prefix, String rest) {
        return TRANSFORMER_PARTS.stream().anyMatch(rest::startsWith) ? prefix + rest : null;
    }

    /**
     * Res blocks per down level: the input blocks before the first downsampler ({@code .0.op}).
     * A UNet without downsamplers has one level holding every input block.
     */
    static int unetLayersPerBlock(Path file, Map<String, TensorInfo> tensors) {
        Pattern input = Pattern.compile(Pattern.quote(UNET) + "input_blocks\\.(\\d+)\\.0\\.(op|in_layers)\\..*");
        TreeSet<Integer> resnets = new TreeSet<>();
        TreeSet<Integer> downsamplers = new TreeSet<>();
        for (String key : tensors.keySet()) {
            Matcher m = input.matcher(key);
            if (m.matches()) {
                (m.group(2).equals("op") ? downsamplers : resnets).add(Integer.parseInt(m.group(1)));
            }
        }
        if (resnets.isEmpty()) {
            throw new ModelFormatException(file + ": no UNet res blocks (" + UNET + "input_blocks.N.0.in_layers.*)");
        }
        int perBlock = downsamplers.isEmpty() ? resnets.last() : downsamplers.first() - 1;
        if (perBlock < 1) {
            throw new ModelFormatException(file + ": unexpected UNet layout: input_blocks." + downsamplers.first()
                    + " downsamples before any res block");
        }
        return perBlock;
    }

    /** The VAE: encoder.down / decoder.up levels, the decoder's numbered in reverse; 1x1-conv attention to Linear. */
    static Map<String, Source> vae(Path file, Map<String, TensorInfo> tensors) {
        Pattern decoderUp = Pattern.compile(Pattern.quote(VAE) + "decoder\\.up\\.(\\d+)\\..*");
        int upLevels = 0;
        for (String key : tensors.keySet()) {
            Matcher m = decoderUp.matcher(key);
            if (m.matches()) {
                upLevels = Math.max(upLevels, Integer.parseInt(m.group(1)) + 1);
            }
        }
        Map<String, Source> out = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        for (TensorInfo info : withPrefix(tensors, VAE)) {
            String key = info.name().substring(VAE.length());
            if (key.startsWith("loss.")) {
                continue; // the training loss (LPIPS, discriminator) some files still carry
            }
            String name = vaeName(key, upLevels);
            if (name == null) {
                unknown.add(info.name());
                continue;
            }
            boolean convAttention = VAE_ATTENTION_WEIGHT.matcher(name).matches() && info.shape().length == 4;
            // a [C, C, 1, 1] kernel and a [C, C] matrix hold the same numbers in the same order
            long[] shape = convAttention ? Arrays.copyOf(info.shape(), 2) : info.shape();
            out.put(name, new Source(info.name(), shape, 0, 1));
        }
        failOnUnknown(file, "VAE", unknown);
        return out;
    }

    private static String vaeName(String key, int upLevels) {
        if (key.startsWith("quant_conv.") || key.startsWith("post_quant_conv.")) {
            return key;
        }
        int dot = key.indexOf('.');
        String half = dot < 0 ? "" : key.substring(0, dot);
        if (!half.equals("encoder") && !half.equals("decoder")) {
            return null;
        }
        String rest = key.substring(dot + 1);
        String prefix = half + ".";
        if (rest.startsWith("conv_in.") || rest.startsWith("conv_out.")) {
            return prefix + rest;
        }
        if (rest.startsWith("norm_out.")) {
            return prefix + "conv_norm_out." + rest.substring("norm_out.".length());
        }
        if (rest.startsWith("mid.block_1.")) {
            return vaeResnet(prefix + "mid_block.resnets.0.", rest.substring("mid.block_1.".length()));
        }
        if (rest.startsWith("mid.block_2.")) {
            return vaeResnet(prefix + "mid_block.resnets.1.", rest.substring("mid.block_2.".length()));
        }
        if (rest.startsWith("mid.attn_1.")) {
            String part = rest.substring("mid.attn_1.".length());
            int last = part.lastIndexOf('.');
            String renamed = last < 0 ? null : VAE_ATTENTION.get(part.substring(0, last));
            return renamed == null ? null : prefix + "mid_block.attentions.0." + renamed + part.substring(last);
        }
        Matcher m = VAE_LEVEL.matcher(rest);
        if (!m.matches() || !m.group(1).equals(half.equals("encoder") ? "down" : "up")) {
            return null;
        }
        int level = Integer.parseInt(m.group(2));
        // LDM builds the decoder from the lowest resolution up but numbers its levels like the encoder's
        String blocks = half.equals("encoder") ? "down_blocks." + level + "." : "up_blocks." + (upLevels - 1 - level) + ".";
        String tail = m.group(5);
        if (m.group(4) != null) {
            return vaeResnet(prefix + blocks + "resnets." + m.group(4) + ".", tail);
        }
        String sampler = m.group(3).equals("downsample") ? "downsamplers.0." : "upsamplers.0.";
        return tail.startsWith("conv.") ? prefix + blocks + sampler + tail : null;
    }

    private static String vaeResnet(String prefix, String rest) {
        if (rest.startsWith("nin_shortcut.")) {
            return prefix + "conv_shortcut." + rest.substring("nin_shortcut.".length());
        }
        for (String part : List.of("norm1.", "conv1.", "norm2.", "conv2.")) {
            if (rest.startsWith(part)) {
                return prefix + rest;
            }
        }
        return null;
    }

    /** SD1's CLIP text model: already transformers' names under cond_stage_model.transformer. */
    static Map<String, Source> clipText(Map<String, TensorInfo> tensors) {
        Map<String, Source> out = new TreeMap<>();
        for (TensorInfo info : withPrefix(tensors, CLIP)) {
            String key = info.name().substring(CLIP.length());
            // some early conversions dropped the text_model level
            String name = key.startsWith("text_model.") ? key : "text_model." + key;
            if (!name.endsWith("embeddings.position_ids")) { // a buffer (0..76), not a weight
                out.put(name, Source.whole(info));
            }
        }
        return out;
    }

    /**
     * SD2's OpenCLIP ViT-H text tower. Fused q/k/v are split; the last resblock is dropped because SD2
     * conditions on the penultimate block's output, which diffusers models as a text encoder one layer
     * shorter (followed by the same final LayerNorm).
     */
    static Map<String, Source> openClipText(Path file, Map<String, TensorInfo> tensors) {
        Pattern block = Pattern.compile("transformer\\.resblocks\\.(\\d+)\\.(.+)");
        int blocks = 0;
        for (TensorInfo info : withPrefix(tensors, OPEN_CLIP)) {
            Matcher m = block.matcher(info.name().substring(OPEN_CLIP.length()));
            if (m.matches()) {
                blocks = Math.max(blocks, Integer.parseInt(m.group(1)) + 1);
            }
        }
        Map<String, Source> out = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        for (TensorInfo info : withPrefix(tensors, OPEN_CLIP)) {
            String key = info.name().substring(OPEN_CLIP.length());
            Matcher m = block.matcher(key);
            if (key.equals("token_embedding.weight")) {
                out.put("text_model.embeddings.token_embedding.weight", Source.whole(info));
            } else if (key.equals("positional_embedding")) {
                out.put("text_model.embeddings.position_embedding.weight", Source.whole(info));
            } else if (key.startsWith("ln_final.")) {
                out.put("text_model.final_layer_norm." + key.substring("ln_final.".length()), Source.whole(info));
            } else if (key.equals("text_projection") || key.equals("logit_scale") || key.equals("attn_mask")) {
                continue; // CLIP's contrastive head and a causal-mask buffer: not part of the text encoder
            } else if (m.matches()) {
                int layer = Integer.parseInt(m.group(1));
                if (layer < blocks - 1 && !openClipLayer(out, "text_model.encoder.layers." + layer + ".", m.group(2),
                        info)) {
                    unknown.add(info.name());
                }
            } else {
                unknown.add(info.name());
            }
        }
        failOnUnknown(file, "OpenCLIP text encoder", unknown);
        return out;
    }

    private static boolean openClipLayer(Map<String, Source> out, String prefix, String rest, TensorInfo info) {
        if (rest.equals("attn.in_proj_weight") || rest.equals("attn.in_proj_bias")) {
            // in_proj is cat([q, k, v]) along the output features, dim 0
            long[] shape = info.shape().clone();
            if (shape.length == 0 || shape[0] % 3 != 0) {
                return false;
            }
            shape[0] /= 3;
            String suffix = rest.endsWith("weight") ? ".weight" : ".bias";
            String[] names = {"q_proj", "k_proj", "v_proj"};
            for (int i = 0; i < 3; i++) {
                out.put(prefix + "self_attn." + names[i] + suffix, new Source(info.name(), shape, i, 3));
            }
            return true;
        }
        for (Map.Entry<String, String> e : OPEN_CLIP_LAYER.entrySet()) {
            if (rest.startsWith(e.getKey())) {
                out.put(prefix + e.getValue() + rest.substring(e.getKey().length()), Source.whole(info));
                return true;
            }
        }
        return false;
    }

    static boolean hasPrefix(Map<String, TensorInfo> tensors, String prefix) {
        return tensors.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    private static List<TensorInfo> withPrefix(Map<String, TensorInfo> tensors, String prefix) {
        return tensors.values().stream().filter(t -> t.name().startsWith(prefix)).toList();
    }

    private static void failOnUnknown(Path file, String component, List<String> unknown) {
        if (!unknown.isEmpty()) {
            throw new ModelFormatException(file + ": " + unknown.size() + " " + component + " tensor(s) not in an"
                    + " SD1/SD2 checkpoint, e.g. '" + unknown.getFirst() + "' (another architecture?)");
        }
    }
}
