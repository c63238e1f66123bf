package dev.osmosis.engine.cli;

import dev.osmosis.engine.bench.ImageMetrics;
import dev.osmosis.engine.model.EmbeddedModel;
import dev.osmosis.engine.model.ModelLoader;
import dev.osmosis.engine.model.RandomModels;
import dev.osmosis.engine.model.StableDiffusionModel;
import dev.osmosis.engine.pipeline.CancellationToken;
import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.GenerationRequest.PluginRequest;
import dev.osmosis.engine.pipeline.GenerationResult;
import dev.osmosis.engine.pipeline.PluginSpec;
import dev.osmosis.engine.pipeline.ProgressListener;
import dev.osmosis.engine.pipeline.StableDiffusionPipeline;
import dev.osmosis.engine.plugin.Plugin;
import dev.osmosis.engine.plugin.PluginFamily;
import dev.osmosis.engine.plugin.PluginRegistry;
import dev.osmosis.engine.train.eval.ShapesEval;
import dev.osmosis.engine.train.eval.Tally;
import dev.osmosis.engine.train.ldm.ModelExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./osmosis bench accelerators}: each accelerator against "off" in the same run, on the same
 * requests: whole-generation time, UNet time, and the fidelity of the decoded image to the
 * un-accelerated one (PSNR, SSIM).
 */
@Command(name = "accelerators", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Speed-up and fidelity of each accelerator plugin against the un-accelerated run.")
public final class AcceleratorBenchCommand implements Callable<Integer> {
    @Option(names = "--sd15", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "include SD1.5's architecture with random weights (default: on)")
    boolean sd15;

    @Option(names = "--model", paramLabel = "PATH", description = "also a model folder or .safetensors; repeatable")
    List<Path> models = new ArrayList<>();

    @Option(names = "--embedded", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "include the embedded model when it is installed (default: on)")
    boolean embedded;

    @Option(names = "--shapes-eval", paramLabel = "N", defaultValue = "40",
            description = "on models trained on the shapes world (the embedded one): also the shapes-eval accuracy"
                    + " of N images with each accelerator and without, 0 to skip (default: ${DEFAULT-VALUE})")
    int shapesEval;

    @Option(names = "--plugin", paramLabel = "NAME[:k=v,...]",
            description = "the accelerator settings to measure; repeatable (default: each accelerator's defaults)")
    List<String> plugins = new ArrayList<>();

    @Option(names = "--size", defaultValue = "256", description = "image side for SD1.5 (default: 256)")
    int size;

    @Option(names = "--steps", defaultValue = "20", description = "denoising steps (default: 20)")
    int steps;

    @Option(names = "--sampler", defaultValue = "dpmpp_2m", description = "sampler (default: dpmpp_2m)")
    String sampler;

    @Option(names = "--seeds", defaultValue = "2", description = "requests per row, seeds 1..N (default: 2)")
    int seeds;

    @Option(names = "--prompt", defaultValue = "a red star and a blue circle on a white background",
            description = "the prompt of every request")
    String prompt;

    @Override
    public Integer call() {
        PluginRegistry registry = PluginRegistry.discover();
        List<PluginRequest> accelerators = accelerators(registry);
        System.out.printf(Locale.ROOT, "%d steps %s, CFG 7.5, %d seed(s) per row, %s, %s%n", steps, sampler,
                seeds, Machine.threads(), Machine.cpu());
        System.out.printf("%-22s %-46s %9s %8s %9s %8s %8s %6s%n", "model", "accelerator", "total s", "speed-up",
                "UNet s", "UNet x", "PSNR dB", "SSIM");
        if (sd15) {
            try (StableDiffusionModel model = RandomModels.sd15(0)) {
                bench(model, "sd15-random " + size, size, accelerators, registry);
            }
        }
        List<Path> all = new ArrayList<>(models);
        if (embedded) {
            EmbeddedModel.locate(EmbeddedModel.DEFAULT_NAME).filter(p -> !all.contains(p)).ifPresent(all::add);
        }
        for (Path path : all) {
            try (StableDiffusionModel model = ModelLoader.load(path)) {
                int side = model.nativeResolution();
                bench(model, model.name() + " " + side, side, accelerators, registry);
                if (shapesEval > 0 && Files.exists(path.resolve(ModelExporter.TRAINING_FILE))) {
                    shapesAccuracy(model, path, side, accelerators, registry);
                }
            }
        }
        return 0;
    }

    private List<PluginRequest> accelerators(PluginRegistry registry) {
        if (!plugins.isEmpty()) {
            return plugins.stream().map(PluginSpec::parse).toList();
        }
        List<PluginRequest> out = new ArrayList<>();
        for (Plugin p : registry.all()) {
            if (p.family() == PluginFamily.ACCELERATOR) {
                out.add(new PluginRequest(p.id(), java.util.Map.of()));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no accelerator plugin on the class path (run through ./osmosis)");
        }
        return out;
    }

    private void bench(StableDiffusionModel model, String label, int side, List<PluginRequest> accelerators,
            PluginRegistry registry) {
        StableDiffusionPipeline pipeline = new StableDiffusionPipeline(model, registry);
        GenerationRequest.Builder base = GenerationRequest.builder().prompt(prompt).negativePrompt("blurry")
                .sampler(sampler).steps(steps).cfgScale(7.5).size(side, side);
        run(pipeline, base.seed(0)); // warm-up: allocator, libtorch kernels, JIT
        Row off = new Row();
        List<Row> rows = new ArrayList<>();
        accelerators.forEach(a -> rows.add(new Row()));
        for (int seed = 1; seed <= seeds; seed++) {
            GenerationResult reference = run(pipeline, base.seed(seed).plugins(List.of()));
            off.add(reference, reference);
            for (int a = 0; a < accelerators.size(); a++) {
                rows.get(a).add(run(pipeline, base.seed(seed).plugins(List.of(accelerators.get(a)))), reference);
            }
        }
        off.print(label, "off", off);
        for (int a = 0; a < accelerators.size(); a++) {
            rows.get(a).print(label, PluginSpec.format(accelerators.get(a)), off);
        }
    }

    /** What the accelerators cost in the model's own terms: shapes drawn right, with and without them. */
    private void shapesAccuracy(StableDiffusionModel model, Path dir, int side, List<PluginRequest> accelerators,
            PluginRegistry registry) {
        StableDiffusionPipeline pipeline = new StableDiffusionPipeline(model, registry);
        System.out.printf(Locale.ROOT, "%nshapes eval of %s: %d held-out images, %d steps %s, CFG 7.5%n", model.name(),
                shapesEval, steps, sampler);
        System.out.printf("%-46s %8s %8s %9s %9s %10s%n", "accelerator", "colour", "shape", "position", "all three",
                "2-obj both");
        List<PluginRequest> none = List.of();
        List<List<PluginRequest>> configurations = new ArrayList<>();
        configurations.add(none);
        accelerators.forEach(a -> configurations.add(List.of(a)));
        for (List<PluginRequest> plugins : configurations) {
            ShapesEval.Settings settings = new ShapesEval.Settings(shapesEval, 4, steps, 7.5, sampler, 1000, side,
                    plugins);
            Tally t = ShapesEval.run(pipeline, dir, settings, line -> { }).tally();
            System.out.printf(Locale.ROOT, "%-46s %8s %8s %9s %9s %10s%n",
                    plugins.isEmpty() ? "off" : PluginSpec.format(plugins.get(0)), Tally.percent(t.all.colour()),
                    Tally.percent(t.all.shape()), Tally.percent(t.all.position()), Tally.percent(t.all.allThree()),
                    Tally.percent(t.two.imagesRight()));
        }
    }

    private static GenerationResult run(StableDiffusionPipeline pipeline, GenerationRequest.Builder request) {
        return pipeline.generate(request.build(), ProgressListener.none(), new CancellationToken());
    }

    /** Sums of one configuration's runs. */
    private static final class Row {
        double total;
        double unet;
        double psnr;
        double ssim;
        int count;

        void add(GenerationResult result, GenerationResult reference) {
            total += result.elapsed().toNanos() / 1e9;
            unet += result.unetTime().toNanos() / 1e9;
            psnr += Math.min(ImageMetrics.psnr(reference.images().get(0), result.images().get(0)), 99);
            ssim += ImageMetrics.ssim(reference.images().get(0), result.images().get(0));
            count++;
        }

        void print(String model, String accelerator, Row off) {
            boolean isOff = this == off;
            System.out.printf(Locale.ROOT, "%-22s %-46s %9.2f %7.2fx %9.2f %7.2fx %8s %6s%n", model, accelerator,
                    total / count, off.total / total, unet / count, off.unet / unet,
                    isOff ? "-" : String.format(Locale.ROOT, "%.1f", psnr / count),
                    isOff ? "-" : String.format(Locale.ROOT, "%.3f", ssim / count));
        }
    }
}
