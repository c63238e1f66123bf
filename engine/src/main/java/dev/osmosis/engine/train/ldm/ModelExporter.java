package dev.osmosis.engine.train.ldm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.osmosis.engine.text.ClipTextConfig;
import dev.osmosis.engine.unet.UNetConfig;
import dev.osmosis.engine.vae.VaeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a trained model as a diffusers folder that the engine's ModelLoader (and diffusers itself)
 * loads: model_index.json, unet/, vae/, text_encoder/, tokenizer/, scheduler/, weights in float16.
 * Beside the standard files: vae/latent_preview.json (the fitted latent-to-RGB preview map) and
 * osmosis_training.json (what the model was trained on, for the held-out evaluation).
 */
public final class ModelExporter {
    /** Under vae/: the preview map, {"factors": [[r, g, b] per latent channel], "bias": [r, g, b]}. */
    public static final String PREVIEW_FILE = dev.osmosis.engine.vae.LatentPreview.FILE;
    public static final String TRAINING_FILE = "osmosis_training.json";
    private static final String DIFFUSERS_VERSION = "0.27.2";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelExporter() {}

    /**
     * @param objective what the UNet predicts, for the scheduler config
     * @param text the text encoder as trained, with the compact vocabulary's rows
     * @param training facts written to osmosis_training.json
     */
    public static void export(Path out, TinyArchitecture architecture, NamedTensors vae, NamedTensors unet,
            NamedTensors text, TrainingVocabulary vocabulary, long seed, LatentPreviewFit.Fit preview,
            Objective objective, Map<String, Object> training) {
        try {
            for (String part : List.of("unet", "vae", "text_encoder", "tokenizer", "scheduler")) {
                Files.createDirectories(out.resolve(part));
            }
            Map<String, String> meta = Map.of("format", "pt", "producer", "osmosis train shapes");
            write(out.resolve("model_index.json"), modelIndex());
            write(out.resolve("unet/config.json"), unetConfig(architecture.unet()));
            unet.writeF16(out.resolve("unet/diffusion_pytorch_model.safetensors"), meta);
            write(out.resolve("vae/config.json"), vaeConfig(architecture.vae(), architecture.imageSize()));
            vae.writeF16(out.resolve("vae/diffusion_pytorch_model.safetensors"), meta);
            write(out.resolve("vae/" + PREVIEW_FILE), previewJson(preview));
            write(out.resolve("text_encoder/config.json"), textConfig(architecture.text()));
            fullVocabulary(text, vocabulary, architecture.text(), seed)
                    .writeF16(out.resolve("text_encoder/model.safetensors"), meta);
            writeTokenizer(out.resolve("tokenizer"));
            write(out.resolve("scheduler/scheduler_config.json"), schedulerConfig(objective));
            write(out.resolve(TRAINING_FILE), JSON.valueToTree(training));
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the model folder", e);
        }
    }

    /**
     * Puts the trained rows back at their CLIP ids in a 49408-row table. Rows no caption reaches keep
     * CLIP's initialisation N(0, 0.02): never trained, they act as near-neutral unknown words.
     */
    static NamedTensors fullVocabulary(NamedTensors text, TrainingVocabulary vocabulary, ClipTextConfig config,
            long seed) {
        String key = "text_model.embeddings.token_embedding.weight";
        int d = config.hiddenSize();
        float[] compact = text.values().get(key);
        float[] full = new float[config.vocabSize() * d];
        SplittableRandom random = new SplittableRandom(seed ^ 0x5EEDL);
        for (int i = 0; i < full.length; i++) {
            full[i] = (float) (random.nextGaussian() * 0.02);
        }
        for (int row = 0; row < vocabulary.size(); row++) {
            System.arraycopy(compact, row * d, full, vocabulary.clipId(row) * d, d);
        }
        Map<String, long[]> shapes = new LinkedHashMap<>(text.shapes());
        Map<String, float[]> values = new LinkedHashMap<>(text.values());
        shapes.put(key, new long[] {config.vocabSize(), d});
        values.put(key, full);
        return new NamedTensors(shapes, values);
    }

    private static void write(Path file, Object json) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(temp.toFile(), json);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static ObjectNode modelIndex() {
        ObjectNode n = JSON.createObjectNode();
        n.put("_class_name", "StableDiffusionPipeline");
        n.put("_diffusers_version", DIFFUSERS_VERSION);
        n.putArray("feature_extractor").addNull().addNull();
        n.putArray("image_encoder").addNull().addNull();
        n.put("requires_safety_checker", false);
        n.putArray("safety_checker").addNull().addNull();
        n.putArray("scheduler").add("diffusers").add("EulerAncestralDiscreteScheduler");
        n.putArray("text_encoder").add("transformers").add("CLIPTextModel");
        n.putArray("tokenizer").add("transformers").add("CLIPTokenizer");
        n.putArray("unet").add("diffusers").add("UNet2DConditionModel");
        n.putArray("vae").add("diffusers").add("AutoencoderKL");
        return n;
    }

    static ObjectNode unetConfig(UNetConfig c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("_class_name", "UNet2DConditionModel");
        n.put("_diffusers_version", DIFFUSERS_VERSION);
        n.put("act_fn", "silu");
        ints(n.putArray("attention_head_dim"), c.headCounts());
        ints(n.putArray("block_out_channels"), c.blockOutChannels());
        n.put("center_input_sample", false);
        n.put("cross_attention_dim", c.crossAttentionDim());
        strings(n.putArray("down_block_types"), c.downBlockTypes());
        n.put("downsample_padding", 1);
        n.put("flip_sin_to_cos", c.flipSinToCos());
        n.put("freq_shift", (int) c.freqShift());
        n.put("in_channels", c.inChannels());
        ints(n.putArray("layers_per_block"), c.layersPerBlock());
        n.put("mid_block_scale_factor", 1);
        n.put("mid_block_type", "UNetMidBlock2DCrossAttn");
        n.put("norm_eps", c.normEps());
        n.put("norm_num_groups", c.normNumGroups());
        n.put("out_channels", c.outChannels());
        n.put("sample_size", c.sampleSize());
        ints(n.putArray("transformer_layers_per_block"), c.transformerDepth());
        strings(n.putArray("up_block_types"), c.upBlockTypes());
        n.put("use_linear_projection", c.useLinearProjection());
        return n;
    }

    static ObjectNode vaeConfig(VaeConfig c, int imageSize) {
        ObjectNode n = JSON.createObjectNode();
        n.put("_class_name", "AutoencoderKL");
        n.put("_diffusers_version", DIFFUSERS_VERSION);
        n.put("act_fn", "silu");
        ints(n.putArray("block_out_channels"), c.blockOutChannels());
        ArrayNode down = n.putArray("down_block_types");
        ArrayNode up = n.putArray("up_block_types");
        for (int i = 0; i < c.blockOutChannels().size(); i++) {
            down.add("DownEncoderBlock2D");
            up.add("UpDecoderBlock2D");
        }
        n.put("force_upcast", false);
        n.put("in_channels", c.inChannels());
        n.put("latent_channels", c.latentChannels());
        n.put("layers_per_block", c.layersPerBlock());
        n.put("norm_num_groups", c.normNumGroups());
        n.put("out_channels", c.outChannels());
        n.put("sample_size", imageSize);
        n.put("scaling_factor", c.scalingFactor());
        return n;
    }

    static ObjectNode textConfig(ClipTextConfig c) {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("architectures").add("CLIPTextModel");
        n.put("attention_dropout", 0.0);
        n.put("bos_token_id", 49406);
        n.put("dropout", 0.0);
        n.put("eos_token_id", 49407);
        n.put("hidden_act", c.hiddenAct());
        n.put("hidden_size", c.hiddenSize());
        n.put("initializer_factor", 1.0);
        n.put("initializer_range", 0.02);
        n.put("intermediate_size", c.intermediateSize());
        n.put("layer_norm_eps", c.layerNormEps());
        n.put("max_position_embeddings", c.maxPositionEmbeddings());
        n.put("model_type", "clip_text_model");
        n.put("num_attention_heads", c.numAttentionHeads());
        n.put("num_hidden_layers", c.numHiddenLayers());
        n.put("pad_token_id", 49407);
        n.put("projection_dim", c.hiddenSize());
        n.put("torch_dtype", "float16");
        n.put("vocab_size", c.vocabSize());
        return n;
    }

    /**
     * SD 1.x's schedule as the objective trained it (with v-prediction: rescaled to zero terminal
     * SNR); "trailing" spacing so sampling starts at t = 999 (Lin et al. 2023, section 3.3).
     */
    static ObjectNode schedulerConfig(Objective objective) {
        ObjectNode n = JSON.createObjectNode();
        n.put("_class_name", "EulerAncestralDiscreteScheduler");
        n.put("_diffusers_version", DIFFUSERS_VERSION);
        n.put("beta_end", 0.012);
        n.put("beta_schedule", "scaled_linear");
        n.put("beta_start", 0.00085);
        n.put("clip_sample", false);
        n.put("num_train_timesteps", 1000);
        n.put("prediction_type", objective.predictionType);
        n.put("rescale_betas_zero_snr", objective.rescaleBetasZeroSnr);
        n.put("set_alpha_to_one", false);
        n.put("steps_offset", 1);
        n.put("timestep_spacing", "trailing");
        n.putNull("trained_betas");
        return n;
    }

    private static ObjectNode previewJson(LatentPreviewFit.Fit fit) {
        ObjectNode n = JSON.createObjectNode();
        n.put("description", "rgb = factors^T * scaled_latent + bias in [-1, 1], least squares on decoded 8x8 patches");
        ArrayNode rows = n.putArray("factors");
        for (float[] row : fit.factors()) {
            ArrayNode r = rows.addArray();
            for (float v : row) {
                r.add(v);
            }
        }
        ArrayNode bias = n.putArray("bias");
        for (float v : fit.bias()) {
            bias.add(v);
        }
        n.put("rmse", fit.rmse());
        return n;
    }

    /** CLIP's vocab.json and merges.txt as bundled with the engine, plus transformers' two small configs. */
    private static void writeTokenizer(Path dir) throws IOException {
        for (String name : List.of("vocab.json", "merges.txt")) {
            try (InputStream in = ModelExporter.class.getResourceAsStream("/dev/osmosis/engine/text/clip/" + name)) {
                if (in == null) {
                    throw new IOException("the engine's bundled CLIP " + name + " is missing from the class path");
                }
                Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        ObjectNode special = JSON.createObjectNode();
        special.set("bos_token", specialToken("<|startoftext|>"));
        special.set("eos_token", specialToken("<|endoftext|>"));
        special.put("pad_token", "<|endoftext|>");
        special.set("unk_token", specialToken("<|endoftext|>"));
        write(dir.resolve("special_tokens_map.json"), special);
        ObjectNode config = JSON.createObjectNode();
        ObjectNode added = config.putObject("added_tokens_decoder");
        ObjectNode bos = specialToken("<|startoftext|>");
        bos.put("special", true);
        ObjectNode eos = specialToken("<|endoftext|>");
        eos.put("special", true);
        added.set("49406", bos);
        added.set("49407", eos);
        config.put("bos_token", "<|startoftext|>");
        config.put("clean_up_tokenization_spaces", true);
        config.put("do_lower_case", true);
        config.put("eos_token", "<|endoftext|>");
        config.put("errors", "replace");
        config.put("model_max_length", 77);
        config.put("pad_token", "<|endoftext|>");
        config.put("tokenizer_class", "CLIPTokenizer");
        config.put("unk_token", "<|endoftext|>");
        write(dir.resolve("tokenizer_config.json"), config);
    }

    private static ObjectNode specialToken(String content) {
        ObjectNode t = JSON.createObjectNode();
        t.put("content", content);
        t.put("lstrip", false);
        t.put("normalized", true);
        t.put("rstrip", false);
        t.put("single_word", false);
        return t;
    }

    private static void ints(ArrayNode array, List<Integer> values) {
        values.forEach(array::add);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
