package dev.osmosis.engine.cli;

import ai.djl.Device;
import dev.osmosis.engine.image.ImageLoading;
import dev.osmosis.engine.image.PngFile;
import dev.osmosis.engine.model.EmbeddedModel;
import dev.osmosis.engine.model.ModelLoader;
import dev.osmosis.engine.model.ModelOptions;
import dev.osmosis.engine.model.StableDiffusionModel;
import dev.osmosis.engine.nn.Precision;
import dev.osmosis.engine.pipeline.CancellationToken;
import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.GenerationResult;
import dev.osmosis.engine.pipeline.LatentsFile;
import dev.osmosis.engine.pipeline.PluginSpec;
import dev.osmosis.engine.pipeline.StableDiffusionPipeline;
import dev.osmosis.engine.sched.Samplers;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./osmosis generate}: txt2img or img2img to PNG files carrying their parameters. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate images from a prompt (txt2img), or from a prompt and an image (img2img).")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "PATH",
            description = "a diffusers folder or a single-file .safetensors checkpoint (default: the embedded model,"
                    + " resources/models/" + EmbeddedModel.DEFAULT_NAME + ")")
    Path model;

    @Option(names = {"-p", "--prompt"}, required = true, description = "what to draw; (word:1.3), (word), [word] weight it")
    String prompt;

    @Option(names = {"-n", "--negative"}, defaultValue = "", description = "what to avoid")
    String negative;

    @Option(names = "--sampler", defaultValue = "euler_a",
            description = "one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            completionCandidates = SamplerNames.class)
    String sampler;

    @Option(names = "--steps", defaultValue = "20", description = "denoising steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--cfg", description = "classifier-free guidance scale (default: the model's recommendation,"
            + " else SD's 7.5)")
    Double cfg;

    @Option(names = "--seed", defaultValue = "-1", description = "seed of the first image; -1 picks one")
    long seed;

    @Option(names = {"-W", "--width"}, description = "image width, a multiple of 8 (default: the model's)")
    Integer width;

    @Option(names = {"-H", "--height"}, description = "image height, a multiple of 8 (default: the model's)")
    Integer height;

    @Option(names = "--batch", defaultValue = "1", description = "images per run (seeds seed, seed+1, ...)")
    int batch;

    @Option(names = "--clip-skip", defaultValue = "1", description = "1 = last text encoder layer, 2 = penultimate")
    int clipSkip;

    @Option(names = "--init-image", paramLabel = "IMAGE", description = "img2img: the image to start from")
    Path initImage;

    @Option(names = "--strength", defaultValue = "0.75", description = "img2img: how much to change it, 0..1")
    double strength;

    @Option(names = "--init-noise", paramLabel = "FILE.safetensors",
            description = "txt2img: starting latents (tensor \"latents\"), scaled by the sampler's initial sigma")
    Path initNoise;

    @Option(names = "--save-latents", paramLabel = "FILE.safetensors", description = "write the final latents here")
    Path saveLatents;

    @Option(names = "--prediction", description = "epsilon or v_prediction, when the model files do not say")
    String prediction;

    @Option(names = "--text-encoder-heads", paramLabel = "N",
            description = "single-file checkpoints with a non-standard text encoder: its attention heads")
    Integer textEncoderHeads;

    @Option(names = "--plugin", paramLabel = "NAME[:k=v,...]", description = "switch a plugin on; repeatable")
    List<String> plugins = new ArrayList<>();

    @Option(names = "--precision", defaultValue = "fp32", description = "fp32 (exact) or bf16 (faster on CPUs with"
            + " bfloat16 instructions, ~1 % error; see docs/PERFORMANCE.md) (default: ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE.png",
            description = "output PNG; a batch writes FILE-0.png, FILE-1.png, ...")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    static final class SamplerNames extends ArrayList<String> {
        SamplerNames() {
            super(Samplers.names());
        }
    }

    @Override
    public Integer call() throws Exception {
        Device dev = parseDevice(device);
        Precision chosenPrecision = Precision.parse(precision);
        long actualSeed = seed >= 0 ? seed : new SecureRandom().nextLong() & GenerationRequest.MAX_SEED;
        Path modelPath = model != null ? model : EmbeddedModel.require();
        try (StableDiffusionModel sd = ModelLoader.load(modelPath, dev, new ModelOptions(prediction, textEncoderHeads))) {
            int side = sd.nativeResolution();
            int w = width != null ? width : side;
            int h = height != null ? height : side;
            LatentsFile noise = initNoise == null ? null : LatentsFile.read(initNoise);
            if (noise != null) {
                // the noise fixes the size: take it from there unless given, and check it otherwise
                int f = sd.downsampleFactor();
                w = width != null ? width : (int) noise.shape()[3] * f;
                h = height != null ? height : (int) noise.shape()[2] * f;
                noise.requireShape(initNoise, new long[] {batch, sd.latentChannels(), h / f, w / f},
                        "batch " + batch + " at " + w + "x" + h);
            }
            GenerationRequest request = GenerationRequest.builder()
                    .prompt(prompt).negativePrompt(negative).sampler(sampler).steps(steps)
                    .cfgScale(cfg != null ? cfg : sd.recommended().cfgScale())
                    .seed(actualSeed).size(w, h)
                    .batch(batch).clipSkip(clipSkip).strength(strength)
                    .initImage(initImage == null ? null : ImageLoading.read(initImage))
                    .initialLatents(noise == null ? null : noise.values())
                    .plugins(plugins.stream().map(PluginSpec::parse).toList())
                    .precision(chosenPrecision)
                    .build();
            GenerationResult result = new StableDiffusionPipeline(sd).generate(request,
                    quiet ? p -> { } : new ProgressBar(System.err, "generating"), new CancellationToken());
            for (int k = 0; k < result.images().size(); k++) {
                Path file = result.images().size() == 1 ? out : numbered(out, k);
                PngFile.write(file, result.images().get(k), result.parameters().get(k));
                System.out.println(file + "  seed " + result.seeds().get(k));
            }
            if (saveLatents != null) {
                new LatentsFile(result.latents(), result.latentShape()).write(saveLatents, result.parameters().get(0));
            }
            if (!quiet) {
                result.pluginReports().forEach(System.err::println);
                System.err.printf("done in %.2f s%n", result.elapsed().toNanos() / 1e9);
            }
            return 0;
        }
    }

    static Device parseDevice(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "cpu" -> Device.cpu();
            case "gpu", "cuda" -> Device.gpu();
            default -> throw new IllegalArgumentException("--device: expected cpu or gpu, got '" + name + "'");
        };
    }

    static Path numbered(Path out, int k) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : ".png";
        return out.resolveSibling(stem + "-" + k + ext);
    }
}
