package dev.osmosis.engine.cli;

import ai.djl.ndarray.NDManager;
import dev.osmosis.engine.model.EmbeddedModel;
import dev.osmosis.engine.train.ConvolutionGradientCheck;
import dev.osmosis.engine.train.ldm.ShapesRecipe;
import dev.osmosis.engine.train.ldm.ShapesTraining;
import dev.osmosis.engine.train.ldm.WarmStart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./osmosis train shapes}: the embedded default model, from nothing: autoencoder, latents,
 * text encoder + UNet, export. Resumes from the work folder's last checkpoint when run again.
 */
@Command(name = "shapes", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the embedded text-to-image model on the procedural shapes world.",
            "Run it again with the same --work folder to continue after an interruption."})
public final class TrainShapesCommand implements Callable<Integer> {
    @Option(names = "--work", paramLabel = "DIR",
            description = "checkpoints and latents (default: target/osmosis-train/shapes)")
    Path work;

    @Option(names = "--out", paramLabel = "DIR",
            description = "where the finished model is written (default: resources/models/" + EmbeddedModel.DEFAULT_NAME
                    + " under the Osmosis home)")
    Path out;

    @Option(names = "--until", defaultValue = "export", description = "last stage to run: vae, latents, unet or export")
    String until;

    @Option(names = "--vae-steps", description = "autoencoder steps (default: the recipe's, 14000)")
    Long vaeSteps;

    @Option(names = "--unet-steps", description = "text encoder + UNet steps (default: the recipe's, 40000)")
    Long unetSteps;

    @Option(names = "--lr-decay-steps", paramLabel = "N",
            description = "decay the UNet's learning rate linearly to zero over the last N steps (default: the"
                    + " recipe's, 3000; 0: constant)")
    Long lrDecaySteps;

    @Option(names = "--from-model", paramLabel = "DIR",
            description = {"start an empty --work folder from a model this command exported (its weights, recipe and"
                + " step counts; optimiser moments from zero), to train it further when its own work folder is gone"})
    Path fromModel;

    @Option(names = "--micro", description = "a seconds-long smoke run: tiny networks, a few steps of each stage")
    boolean micro;

    @Option(names = "--max-hours",
            description = "stop cleanly after this long (a checkpoint is written); run again to go on")
    Double maxHours;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default: all cores)")
    Integer threads;

    @Option(names = "--export-now",
            description = "only export the last checkpoint as it is (a run in progress may go on)")
    boolean exportNow;

    @Override
    public Integer call() throws Exception {
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
        }
        if (!"PASSIVE".equalsIgnoreCase(System.getenv("OMP_WAIT_POLICY"))) {
            System.out.println("note: OMP_WAIT_POLICY is not PASSIVE; on a machine shared with other work, idle OpenMP"
                    + " threads spin and can slow training many times over (export OMP_WAIT_POLICY=PASSIVE)");
        }
        // before any step: a model trained on wrong gradients still learns something, so nothing else would tell
        if (!exportNow && !gradientsAreRight()) {
            return 2;
        }
        Path workDir = work != null ? work : Path.of("target", "osmosis-train", "shapes");
        Path outDir = out != null ? out
                : EmbeddedModel.home().resolve("resources/models").resolve(EmbeddedModel.DEFAULT_NAME);
        if (fromModel != null) {
            WarmStart.seed(fromModel, new ShapesTraining(workDir, System.out), System.out);
        }
        ShapesRecipe recipe = Files.exists(workDir.resolve("recipe.json"))
                ? ShapesRecipe.read(workDir.resolve("recipe.json"))
                : micro ? ShapesRecipe.micro() : ShapesRecipe.defaults();
        recipe = recipe.withSteps(vaeSteps != null ? vaeSteps : recipe.vaeSteps(),
                unetSteps != null ? unetSteps : recipe.unetSteps());
        if (lrDecaySteps != null) {
            recipe = recipe.withLrDecaySteps(lrDecaySteps);
        }
        if (exportNow) {
            new ShapesTraining(workDir, System.out).exportCurrent(recipe, outDir);
            return 0;
        }
        ShapesTraining.Stage last = ShapesTraining.Stage.valueOf(until.toUpperCase(Locale.ROOT));
        long deadline = maxHours == null ? Long.MAX_VALUE : System.nanoTime() + (long) (maxHours * 3600e9);
        System.out.printf(Locale.ROOT, "training shapes model: work %s, out %s, until %s%n%s%n", workDir, outDir,
                last.name().toLowerCase(Locale.ROOT), recipe.toJson());
        ShapesTraining.Stage reached = new ShapesTraining(workDir, System.out).run(recipe, outDir, last, deadline);
        if (reached == null) {
            System.out.println("stopped at the time limit; run the same command again to continue");
            return 0;
        }
        System.out.println("done: " + reached.name().toLowerCase(Locale.ROOT));
        return 0;
    }

    private static boolean gradientsAreRight() {
        System.out.println("checking libtorch's convolution gradients on this CPU against float64 (about a minute)");
        try (NDManager manager = NDManager.newBaseManager()) {
            List<String> problems = ConvolutionGradientCheck.run(manager);
            if (problems.isEmpty()) {
                return true;
            }
            System.err.println("libtorch's convolution gradients on this CPU differ from the float64 reference ("
                    + problems.size() + " shapes, e.g. " + problems.get(0) + "), so training would learn from wrong"
                    + " gradients. ONEDNN_MAX_CPU_ISA is " + System.getenv("ONEDNN_MAX_CPU_ISA")
                    + "; try again with ONEDNN_MAX_CPU_ISA=AVX2 (oneDNN's AVX2 kernels failed fewer shapes on AMD EPYCs).");
            return false;
        }
    }
}
