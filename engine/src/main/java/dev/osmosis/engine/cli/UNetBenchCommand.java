package dev.osmosis.engine.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.nn.FlopCounter;
import dev.osmosis.engine.nn.RandomWeights;
import dev.osmosis.engine.nn.Weights;
import dev.osmosis.engine.unet.UNet2DConditionModel;
import dev.osmosis.engine.unet.UNetConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./osmosis bench unet}: the real SD1.5 UNet (random weights, no file) called as one CFG step
 * (batch 2), against the matrix-multiply throughput measured in the same run as the ceiling.
 */
@Command(name = "unet", mixinStandardHelpOptions = true,
        description = "Time the SD1.5 UNet (random weights) per call, with achieved and ceiling GFLOP/s.")
public final class UNetBenchCommand implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", defaultValue = "256,512", description = "image sides (default: 256,512)")
    List<Integer> sizes;

    @Option(names = "--batch", defaultValue = "2", description = "UNet batch; 2 = one CFG step (default: 2)")
    int batch;

    @Option(names = "--iterations", defaultValue = "3", description = "timed calls per size (default: 3)")
    int iterations;

    @Option(names = "--warmup", defaultValue = "1", description = "untimed calls first (default: 1)")
    int warmup;

    @Option(names = "--config", defaultValue = "sd15", description = "sd15 or sd2 (default: sd15)")
    String configName;

    @Override
    public Integer call() {
        UNetConfig config = switch (configName) {
            case "sd15" -> UNetConfig.sd15();
            case "sd2" -> UNetConfig.sd2();
            default -> throw new IllegalArgumentException("--config: expected sd15 or sd2, got '" + configName + "'");
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            Weights weights = RandomWeights.of("random " + configName, manager, 0);
            UNet2DConditionModel unet = new UNet2DConditionModel(config, weights);
            long parameters = weights.keys().stream().mapToLong(k -> weights.get(k).size()).sum();
            System.out.printf(Locale.ROOT, "%s UNet, %.1fM parameters, random weights, batch %d, float32, %d threads, %s%n",
                    configName, parameters / 1e6, batch, Runtime.getRuntime().availableProcessors(), Machine.cpu());
            double matmul = MatmulCeiling.measure(manager);
            System.out.printf(Locale.ROOT, "ceiling: fp32 matmul 4096x1280 @ 1280x1280 = %.0f GFLOP/s%n", matmul);
            System.out.println("size      latent  ms/call     GFLOP/call  GFLOP/s  of ceiling");
            for (int side : sizes) {
                if (side % 8 != 0 || side < 64) {
                    throw new IllegalArgumentException("--sizes: " + side + " is not a multiple of 8 >= 64");
                }
                measure(unet, config, manager, side, matmul);
            }
            System.out.println("bf16: not measured. DJL 0.35.1's JNI maps no bfloat16 type to libtorch,"
                    + " so any BFLOAT16 array ends the JVM; see docs/PERFORMANCE.md.");
        }
        return 0;
    }

    private void measure(UNet2DConditionModel unet, UNetConfig config, NDManager manager, int side, double ceiling) {
        int latent = side / 8;
        try (NDScope scope = new NDScope()) {
            NDArray sample = manager.randomNormal(new Shape(batch, config.inChannels(), latent, latent));
            NDArray t = manager.create(500f);
            NDArray context = manager.randomNormal(new Shape(batch, 77, config.crossAttentionDim()));
            for (int i = 0; i < warmup; i++) {
                call(unet, sample, t, context);
            }
            FlopCounter.start();
            call(unet, sample, t, context);
            long flops = FlopCounter.stop();
            double[] ms = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                call(unet, sample, t, context);
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(ms);
            double median = ms[iterations / 2];
            double gflops = flops / 1e9;
            double rate = gflops / (median / 1e3);
            System.out.printf(Locale.ROOT, "%-9s %-7s %-11.0f %-11.1f %-8.0f %.0f%%%n", side + "x" + side,
                    latent + "x" + latent, median, gflops, rate, 100 * rate / ceiling);
        }
    }

    private static void call(UNet2DConditionModel unet, NDArray sample, NDArray t, NDArray context) {
        try (NDScope scope = new NDScope()) {
            // toFloatArray forces the result, so the time includes all queued work
            unet.forward(sample, t, context).toFloatArray();
        }
    }
}
