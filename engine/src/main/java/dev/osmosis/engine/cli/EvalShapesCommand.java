package dev.osmosis.engine.cli;

import dev.osmosis.engine.model.EmbeddedModel;
import dev.osmosis.engine.model.ModelLoader;
import dev.osmosis.engine.model.StableDiffusionModel;
import dev.osmosis.engine.train.eval.ContactSheet;
import dev.osmosis.engine.train.eval.DetectorCheck;
import dev.osmosis.engine.train.eval.EvalReport;
import dev.osmosis.engine.train.eval.RoundTripCheck;
import dev.osmosis.engine.train.eval.ShapesEval;
import dev.osmosis.engine.train.eval.Tally;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./osmosis eval shapes}: held-out captions of the shapes world, several seeds each; colour,
 * shape and position of every object read back with plain image analysis.
 */
@Command(name = "shapes", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate held-out shapes captions and measure colour, shape and position accuracy.",
            "The detector is first checked on ground-truth renders; its accuracy is printed too."})
public final class EvalShapesCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "PATH", description = "model folder (default: the embedded model)")
    Path model;

    @Option(names = "--samples", defaultValue = "200", description = "images to generate (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--seeds", defaultValue = "4", description = "seeds per caption (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--steps", defaultValue = "20", description = "denoising steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--cfg", description = "guidance scale (default: the model's recommendation, else 7.5)")
    Double cfg;

    @Option(names = "--sampler", defaultValue = "euler_a", description = "sampler (default: ${DEFAULT-VALUE})")
    String sampler;

    @Option(names = "--seed", defaultValue = "1000",
            description = "seed of the first image (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--detector-check", defaultValue = "1000",
            description = "ground-truth renders to check the detector on first, 0 to skip (default: ${DEFAULT-VALUE})")
    int detectorCheck;

    @Option(names = "--round-trip", defaultValue = "200",
            description = "ground-truth scenes to pass through the model's autoencoder and read back, 0 to skip"
                    + " (default: ${DEFAULT-VALUE})")
    int roundTrip;

    @Option(names = "--timing", defaultValue = "0",
            description = "also time this many single-image generations (after two warm-up runs), median reported")
    int timing;

    @Option(names = "--sheet", paramLabel = "FILE.png", defaultValue = "shapes-eval.png",
            description = "contact sheet of all samples, captions in FILE.txt (default: ${DEFAULT-VALUE})")
    Path sheet;

    @Option(names = "--card", paramLabel = "MODEL_CARD.md",
            description = "also write the table into this model card, between its eval markers")
    Path card;

    @Override
    public Integer call() throws Exception {
        if (samples < 1 || seeds < 1) {
            throw new IllegalArgumentException("--samples and --seeds must be at least 1");
        }
        Tally detector = null;
        if (detectorCheck > 0) {
            detector = DetectorCheck.run(detectorCheck);
            System.out.println(EvalReport.detectorLine(detector));
        }
        Path dir = model != null ? model : EmbeddedModel.require();
        ShapesEval.Settings settings;
        ShapesEval.Result result;
        Tally roundTrips = null;
        try (StableDiffusionModel sd = ModelLoader.load(dir)) {
            int side = sd.nativeResolution();
            double guidance = cfg != null ? cfg : sd.recommended().cfgScale();
            if (roundTrip > 0) {
                roundTrips = RoundTripCheck.run(sd.vae(), roundTrip, side);
                System.out.println(EvalReport.roundTripLine(roundTrips));
            }
            settings = new ShapesEval.Settings(samples, seeds, steps, guidance, sampler, seed, side);
            ShapesEval.Settings s = settings;
            result = ShapesEval.run(sd, dir, s, line -> System.err.print("\r" + line + "   "));
            System.err.println();
            if (timing > 0) {
                System.out.println(GenerationTiming.measure(sd, "a red star on a yellow background", sampler, steps,
                        guidance, side, timing));
            }
        }
        String table = EvalReport.markdown(result, detector, roundTrips, dir);
        System.out.println(table);
        ContactSheet.write(result.samples(), seeds, sheet);
        System.out.println("contact sheet: " + sheet + " (captions in " + sheet.resolveSibling(
                sheet.getFileName().toString().replaceFirst("\\.png$", "") + ".txt") + ")");
        if (card != null) {
            EvalReport.writeIntoCard(card, table);
            System.out.println("model card updated: " + card);
        }
        return 0;
    }
}
