package dev.osmosis.engine.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.nn.FlopCounter;
import dev.osmosis.engine.nn.Precision;
import dev.osmosis.engine.nn.RandomWeights;
import dev.osmosis.engine.nn.Weights;
import dev.osmosis.engine.nn.torchscript.FusedKernels;
import dev.osmosis.engine.unet.UNet2DConditionModel;
import dev.osmosis.engine.unet.UNetConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./osmosis bench unet}: the real SD1.5 UNet (random weights, no file) called as one CFG step
 * (batch 2) in each precision, against the matrix-multiply throughput measured in the same run as
 * the ceiling. The variants' calls are interleaved, so load from other processes spreads over all of
 * them; each row gives the median and the range, and its output's difference from fp32.
 */
@Command(name = "unet", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time the SD1.5 UNet (random weights) per call, with achieved and ceiling GFLOP/s.")
public final class UNetBenchCommand implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", defaultValue = "256,512", description = "image sides (default: 256,512)")
    List<Integer> sizes;

    @Option(names = "--precision", split = ",", defaultValue = "fp32,bf16",
            description = "precisions to time, fp32 and/or bf16 (default: fp32,bf16)")
    List<String> precisions;

    @Option(names = "--plain", description = "also time the plain DJL ops, as before the fused kernels (MKL linear,"
            + " attention through materialised scores, group norm through layer_norm)")
    boolean plain;

    @Option(names = "--batch", defaultValue = "2", description = "UNet batch; 2 = one CFG step (default: 2)")
    int batch;

    @Option(names = "--iterations", defaultValue = "3", description = "timed calls per size and variant (default: 3)")
    int iterations;

    @Option(names = "--warmup", defaultValue = "1", description = "untimed calls first (default: 1)")
    int warmup;

    @Option(names = "--kernels", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "time attention, linear and conv kernels at the UNet's first level, each path (default: on)")
    boolean kernels;

    @Option(names = "--config", defaultValue = "sd15", description = "sd15 or sd2 (default: sd15)")
    String configName;

    /** One way of computing the same UNet call. */
    private record Variant(String label, Precision precision, boolean bypass) {
        NDArray run(UNet2DConditionModel unet, NDArray sample, NDArray t, NDArray context) {
            try (Precision.Scope p = Precision.use(precision);
                    FusedKernels.Bypass b = bypass ? FusedKernels.bypass() : null) {
                return unet.forward(sample, t, context);
            }
        }
    }

    @Override
    public Integer call() {
        UNetConfig config = switch (configName) {
            case "sd15" -> UNetConfig.sd15();
            case "sd2" -> UNetConfig.sd2();
            default -> throw new IllegalArgumentException("--config: expected sd15 or sd2, got '" + configName + "'");
        };
        for (int side : sizes) {
            if (side % 8 != 0 || side < 64) {
                throw new IllegalArgumentException("--sizes: " + side + " is not a multiple of 8 >= 64");
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            boolean fused = FusedKernels.available(manager.zeros(new Shape(1)));
            List<Variant> variants = variants(fused);
            Weights weights = RandomWeights.of("random " + configName, manager, 0);
            UNet2DConditionModel unet = new UNet2DConditionModel(config, weights);
            long parameters = weights.keys().stream().mapToLong(k -> weights.get(k).size()).sum();
            System.out.printf(Locale.ROOT, "%s UNet, %.1fM parameters, random weights, batch %d, %d libtorch threads"
                    + " on %d cores, %s%n", configName, parameters / 1e6, batch, ai.djl.pytorch.jni.JniUtils.getNumThreads(),
                    Runtime.getRuntime().availableProcessors(), Machine.cpu());
            System.out.println("fused kernels (TorchScript through DJL): "
                    + (fused ? "available" : "unavailable, " + FusedKernels.unavailableReason().orElse("bypassed")));
            System.out.println("load average at start: " + loadAverage());
            // the ceiling of each precision: the best GEMM this process reaches at an SD1.5 shape
            double mkl = MatmulCeiling.measure(manager);
            boolean oneDnn = FusedKernels.oneDnnAvailable(manager.zeros(new Shape(1)));
            double oneDnnRate = oneDnn ? KernelBench.oneDnnCeiling(manager) : 0;
            double fp32Ceiling = Math.max(mkl, oneDnnRate);
            double bf16Ceiling = fused ? KernelBench.bf16Ceiling(manager) : Double.NaN;
            System.out.printf(Locale.ROOT, "ceiling: matmul 4096x1280 @ 1280x1280: fp32 %.0f GFLOP/s (DJL/MKL %.0f%s),"
                    + " bf16 %s%n", fp32Ceiling, mkl, oneDnn ? String.format(Locale.ROOT, ", oneDNN %.0f", oneDnnRate) : "",
                    fused ? String.format(Locale.ROOT, "%.0f GFLOP/s", bf16Ceiling) : "n/a");
            if (kernels) {
                int channels = config.blockOutChannels().get(0);
                for (int side : sizes) {
                    int tokens = (side / 8) * (side / 8);
                    KernelBench.attention(manager, batch, tokens, channels, config.headCounts().get(0));
                    // the first level's GEGLU projection and its 3x3 convolutions
                    KernelBench.linear(manager, batch * tokens, channels, channels * 8);
                    KernelBench.conv3x3(manager, batch, channels, side / 8, false);
                }
                // the deepest level's weight-bound convolution, fed a transformer's channels-last map
                int deepest = config.blockOutChannels().get(config.blockOutChannels().size() - 1);
                int deepSide = sizes.get(sizes.size() - 1) / 8 >> (config.blockOutChannels().size() - 1);
                KernelBench.conv3x3(manager, batch, deepest, deepSide, true);
            }
            System.out.println("size      latent  variant  ms/call [min-max]       cpu s/call GFLOP/call  GFLOP/s"
                    + "  of ceiling  vs fp32: max|d|  mean|d|  (mean|out|)");
            for (int side : sizes) {
                measure(unet, config, manager, side, variants, fp32Ceiling, bf16Ceiling);
            }
            System.out.println("load average at end: " + loadAverage());
        }
        return 0;
    }

    private List<Variant> variants(boolean fused) {
        List<Variant> out = new ArrayList<>();
        if (plain) {
            out.add(new Variant("plain", Precision.FP32, true));
        }
        for (String name : precisions) {
            Precision p = Precision.parse(name);
            if (p == Precision.BF16 && !fused) {
                System.out.println("bf16: not measured; it needs the fused kernels, which are unavailable");
                continue;
            }
            out.add(new Variant(p.label(), p, false));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--precision: nothing to measure");
        }
        return out;
    }

    private void measure(UNet2DConditionModel unet, UNetConfig config, NDManager manager, int side,
            List<Variant> variants, double fp32Ceiling, double bf16Ceiling) {
        int latent = side / 8;
        try (NDScope scope = new NDScope()) {
            NDArray sample = manager.randomNormal(new Shape(batch, config.inChannels(), latent, latent));
            NDArray t = manager.create(500f);
            NDArray context = manager.randomNormal(new Shape(batch, 77, config.crossAttentionDim()));
            // warm-up calls give each variant's output, to compare with fp32's on the same input
            float[][] outputs = new float[variants.size()][];
            // the first call also counts the FLOPs (the same for every variant)
            FlopCounter.start();
            outputs[0] = call(variants.get(0), unet, sample, t, context);
            double gflops = FlopCounter.stop() / 1e9;
            for (int i = 0; i < warmup; i++) {
                for (int v = i == 0 ? 1 : 0; v < variants.size(); v++) {
                    outputs[v] = call(variants.get(v), unet, sample, t, context);
                }
            }
            double[][] ms = new double[variants.size()][iterations];
            double[][] cpu = new double[variants.size()][iterations];
            for (int i = 0; i < iterations; i++) {
                for (int v = 0; v < variants.size(); v++) {
                    long start = System.nanoTime();
                    long cpuStart = processCpuNanos();
                    float[] out = call(variants.get(v), unet, sample, t, context);
                    ms[v][i] = (System.nanoTime() - start) / 1e6;
                    cpu[v][i] = (processCpuNanos() - cpuStart) / 1e6;
                    if (outputs[v] == null) {
                        outputs[v] = out;
                    }
                }
            }
            float[] reference = outputs[indexOf(variants, Precision.FP32, false)];
            for (int v = 0; v < variants.size(); v++) {
                Variant variant = variants.get(v);
                Timings timings = new Timings(ms[v]);
                double rate = timings.rate(gflops * 1e9);
                double ceiling = variant.precision == Precision.BF16 ? bf16Ceiling : fp32Ceiling;
                System.out.printf(Locale.ROOT, "%-9s %-7s %-8s %-23s %-10.1f %-11.1f %-8.0f %-11s %s%n",
                        v == 0 ? side + "x" + side : "", v == 0 ? latent + "x" + latent : "", variant.label,
                        timings.describe(), new Timings(cpu[v]).median() / 1e3, gflops, rate,
                        String.format(Locale.ROOT, "%.0f%%", 100 * rate / ceiling), difference(reference, outputs[v]));
            }
        }
    }

    private static int indexOf(List<Variant> variants, Precision precision, boolean bypass) {
        for (int i = 0; i < variants.size(); i++) {
            if (variants.get(i).precision == precision && variants.get(i).bypass == bypass) {
                return i;
            }
        }
        return 0;
    }

    /** max and mean |a - b|, and mean |a| for scale; "-" when there is no fp32 reference or it is a itself. */
    private static String difference(float[] reference, float[] out) {
        if (reference == null || reference == out) {
            return "          -        -";
        }
        double max = 0;
        double sum = 0;
        double scale = 0;
        for (int i = 0; i < out.length; i++) {
            double d = Math.abs(out[i] - reference[i]);
            max = Math.max(max, d);
            sum += d;
            scale += Math.abs(reference[i]);
        }
        return String.format(Locale.ROOT, "%15.2e %8.2e  (%.3f)", max, sum / out.length, scale / out.length);
    }

    private static float[] call(Variant variant, UNet2DConditionModel unet, NDArray sample, NDArray t,
            NDArray context) {
        try (NDScope scope = new NDScope()) {
            // toFloatArray forces the result, so the time includes all queued work
            return variant.run(unet, sample, t, context).toFloatArray();
        }
    }

    /**
     * CPU time of the whole process (all libtorch threads): unlike wall time it does not grow while
     * other processes hold the cores, so it compares variants on a shared machine.
     */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                .getProcessCpuTime();
    }

    /** The 1, 5 and 15 minute run-queue averages: how much else was running. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
