package dev.osmosis.engine.train.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.osmosis.engine.model.StableDiffusionModel;
import dev.osmosis.engine.pipeline.CancellationToken;
import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.GenerationRequest.PluginRequest;
import dev.osmosis.engine.pipeline.GenerationResult;
import dev.osmosis.engine.pipeline.StableDiffusionPipeline;
import dev.osmosis.engine.train.ldm.LatentCache;
import dev.osmosis.engine.train.ldm.ModelExporter;
import dev.osmosis.engine.train.shapes.ShapesDataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Generates the evaluation captions of {@link EvalPrompts} with several seeds each, reads every
 * image back with {@link ShapeDetector} and tallies what came out right.
 */
public final class ShapesEval {
    /** How the images are made; {@code plugins} are switched on for every image (e.g. an accelerator). */
    public record Settings(int samples, int seedsPerPrompt, int steps, double cfg, String sampler, long seed,
            int size, List<PluginRequest> plugins) {
        public Settings(int samples, int seedsPerPrompt, int steps, double cfg, String sampler, long seed, int size) {
            this(samples, seedsPerPrompt, steps, cfg, sampler, seed, size, List.of());
        }
    }

    /** One generated image and how it scored. */
    public record Sample(EvalPrompts.Prompt prompt, long seed, BufferedImage image, List<ObjectMatch> matches,
            int detected) {
        public boolean allRight() {
            return matches.stream().allMatch(ObjectMatch::allRight);
        }
    }

    /** Everything an evaluation produced. */
    public record Result(Settings settings, List<Sample> samples, Tally tally, double secondsPerImage) {}

    private ShapesEval() {}

    public static Result run(StableDiffusionModel model, Path modelDir, Settings settings, Consumer<String> progress) {
        return run(new StableDiffusionPipeline(model), modelDir, settings, progress);
    }

    /** As above, on a pipeline that knows the plugins the settings name. */
    public static Result run(StableDiffusionPipeline pipeline, Path modelDir, Settings settings,
            Consumer<String> progress) {
        int prompts = (settings.samples() + settings.seedsPerPrompt() - 1) / settings.seedsPerPrompt();
        List<EvalPrompts.Prompt> captions = EvalPrompts.of(prompts, trainingCaptions(modelDir));
        ShapeDetector detector = new ShapeDetector();
        Tally tally = new Tally();
        List<Sample> samples = new ArrayList<>();
        double seconds = 0;
        int made = 0;
        for (int p = 0; p < captions.size() && made < settings.samples(); p++) {
            EvalPrompts.Prompt prompt = captions.get(p);
            int batch = Math.min(settings.seedsPerPrompt(), settings.samples() - made);
            long seed = settings.seed() + (long) p * settings.seedsPerPrompt();
            GenerationRequest request = GenerationRequest.builder().prompt(prompt.caption()).negativePrompt("")
                    .sampler(settings.sampler()).steps(settings.steps()).cfgScale(settings.cfg()).seed(seed)
                    .size(settings.size(), settings.size()).batch(batch).plugins(settings.plugins()).build();
            GenerationResult result = pipeline.generate(request, x -> { }, new CancellationToken());
            seconds += result.elapsed().toNanos() / 1e9;
            for (int k = 0; k < batch; k++) {
                BufferedImage image = result.images().get(k);
                var found = detector.detect(image);
                List<ObjectMatch> matches = ObjectMatch.match(prompt.scene().objects(), found);
                tally.add(prompt.caption(), prompt.scene().objects().size(), matches, found.size(),
                        prompt.heldOutPair());
                samples.add(new Sample(prompt, seed + k, image, matches, found.size()));
            }
            made += batch;
            progress.accept(String.format(java.util.Locale.ROOT, "%d/%d images", made, settings.samples()));
        }
        return new Result(settings, samples, tally, seconds / made);
    }

    /**
     * The full captions of the scenes the model was trained on, from its osmosis_training.json;
     * empty for models without one (then "novel" prompts are only novel with high probability).
     */
    static Set<String> trainingCaptions(Path modelDir) {
        Path file = modelDir == null ? null : modelDir.resolve(ModelExporter.TRAINING_FILE);
        if (file == null || !Files.exists(file)) {
            return Set.of();
        }
        try {
            JsonNode json = new ObjectMapper().readTree(file.toFile());
            ShapesDataset dataset = new ShapesDataset(json.get("dataset_seed").asLong(), ShapesDataset.Split.TRAIN);
            Set<String> captions = new HashSet<>();
            for (long index : LatentCache.selection(dataset, json.get("training_scenes").asInt())) {
                captions.add(dataset.scene(index).caption());
            }
            return captions;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(file + ": cannot be read", e);
        }
    }
}
