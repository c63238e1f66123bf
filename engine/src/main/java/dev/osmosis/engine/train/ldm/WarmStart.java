package dev.osmosis.engine.train.ldm;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.osmosis.engine.io.SafetensorsFile;
import dev.osmosis.engine.nn.Weights;
import dev.osmosis.engine.text.ClipTokenizer;
import dev.osmosis.engine.train.AdamW;
import dev.osmosis.engine.train.Ema;
import dev.osmosis.engine.train.Initialization;
import dev.osmosis.engine.train.Parameters;
import dev.osmosis.engine.train.TrainingCheckpoint;
import dev.osmosis.engine.vae.AutoencoderKL;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Starts a work folder from an exported model instead of from nothing, for when the folder of the
 * run that made it is gone: the model's weights (its EMA, stored in float16) become both the
 * parameters and the EMA at the model's step, the recipe comes from its osmosis_training.json, and
 * AdamW starts with zero moments. The latents are encoded again by the next run.
 *
 * <p>Not the same as resuming: the optimiser's moments are lost, and the weights went through
 * float16. So the learning rate warms up again from this step ({@link DiffusionTrainer#OPTIMIZER_START}),
 * as fresh moments would otherwise take full-size steps on a trained network.
 */
public final class WarmStart {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WarmStart() {}

    /** Writes recipe, autoencoder and UNet checkpoints into {@code training}'s empty work folder. */
    public static void seed(Path model, ShapesTraining training, PrintStream log) {
        Path facts = model.resolve(ModelExporter.TRAINING_FILE);
        JsonNode json;
        try {
            json = JSON.readTree(facts.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(facts + ": cannot read the training facts of the model (" + e.getMessage()
                    + "); only a model exported by `osmosis train shapes` can be trained further", e);
        }
        for (String field : new String[] {"recipe", "vae_steps", "unet_steps"}) {
            if (!json.hasNonNull(field)) {
                throw new IllegalArgumentException(facts + ": field '" + field + "' is missing");
            }
        }
        if (Files.exists(training.vaeCheckpoint()) || Files.exists(training.unetCheckpoint())) {
            throw new IllegalArgumentException(training.unetCheckpoint().getParent()
                    + " already holds checkpoints; a warm start needs an empty --work folder");
        }
        ShapesRecipe recipe = ShapesRecipe.fromJson(json.get("recipe").toString());
        long vaeSteps = json.get("vae_steps").asLong();
        long unetSteps = json.get("unet_steps").asLong();
        training.recipe(recipe);
        TinyArchitecture architecture = recipe.tinyArchitecture();
        Map<String, String> meta = Map.of("recipe", recipe.toJson(), "warm_start_from", model.toString());

        try (NDManager manager = NDManager.newBaseManager()) {
            Weights vaeWeights = Initialization.weights("vae (warm start)", manager, 0);
            new AutoencoderKL(architecture.vae(), vaeWeights);
            Parameters vae = Parameters.of(vaeWeights);
            vae.load(floats(model.resolve("vae/diffusion_pytorch_model.safetensors"), ""), model + "/vae");
            try (AdamW adam = new AdamW(vae, AdamW.Settings.defaults(0))) {
                TrainingCheckpoint.save(training.vaeCheckpoint(), VaeTrainer.STAGE, vaeSteps,
                        json.path("vae_seconds").asDouble(0), vae, adam, null, meta);
            }

            DiffusionTrainer trainer = new DiffusionTrainer(architecture, null, null, ClipTokenizer.bundled(false),
                    recipe.diffusion(), log);
            DiffusionTrainer.Models models = trainer.build(manager);
            Map<String, float[]> values = new LinkedHashMap<>();
            values.putAll(floats(model.resolve("unet/diffusion_pytorch_model.safetensors"), DiffusionTrainer.UNET));
            values.putAll(compactText(model.resolve("text_encoder/model.safetensors"),
                    TrainingVocabulary.forShapes(ClipTokenizer.bundled(false)), architecture.text().hiddenSize()));
            Parameters parameters = models.parameters();
            parameters.load(values, model.toString());
            Map<String, String> unetMeta = new LinkedHashMap<>(meta);
            unetMeta.put(DiffusionTrainer.OPTIMIZER_START, Long.toString(unetSteps));
            try (AdamW adam = new AdamW(parameters, AdamW.Settings.defaults(recipe.weightDecay()));
                    Ema ema = new Ema(parameters, recipe.emaDecay())) {
                ema.restore(values, unetSteps, model.toString());
                TrainingCheckpoint.save(training.unetCheckpoint(), DiffusionTrainer.STAGE, unetSteps,
                        json.path("unet_seconds").asDouble(0), parameters, adam, ema, unetMeta);
            }
        }
        log.printf(Locale.ROOT, "warm start from %s: autoencoder at step %d, text encoder + UNet at step %d"
                + " (optimiser moments start from zero)%n", model, vaeSteps, unetSteps);
    }

    /** Every tensor of a safetensors file as float32, names prefixed. */
    private static Map<String, float[]> floats(Path file, String prefix) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (String name : st.tensors().keySet()) {
                out.put(prefix + name, st.floats(name));
            }
        }
        return out;
    }

    /** The exported text encoder back in training form: only the training vocabulary's embedding rows. */
    static Map<String, float[]> compactText(Path file, TrainingVocabulary vocabulary, int hiddenSize) {
        Map<String, float[]> full = floats(file, "");
        String key = "text_model.embeddings.token_embedding.weight";
        float[] table = full.get(key);
        if (table == null) {
            throw new IllegalArgumentException(file + ": no tensor '" + key + "'");
        }
        int d = hiddenSize;
        float[] compact = new float[vocabulary.size() * d];
        for (int row = 0; row < vocabulary.size(); row++) {
            System.arraycopy(table, vocabulary.clipId(row) * d, compact, row * d, d);
        }
        full.put(key, compact);
        Map<String, float[]> out = new LinkedHashMap<>();
        full.forEach((name, v) -> out.put(DiffusionTrainer.TEXT + name, v));
        return out;
    }
}
