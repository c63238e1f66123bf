package dev.osmosis.engine.cli;

import dev.osmosis.engine.model.StableDiffusionModel;
import dev.osmosis.engine.nn.Precision;
import dev.osmosis.engine.pipeline.CancellationToken;
import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.StableDiffusionPipeline;
import java.util.Arrays;
import java.util.Locale;

/** Wall-clock time of whole single-image generations (prompt encoding, sampling, decoding), median of n. */
final class GenerationTiming {
    private GenerationTiming() {}

    static String measure(StableDiffusionModel model, String prompt, String sampler, int steps, double cfg, int side,
            int n) {
        StableDiffusionPipeline pipeline = new StableDiffusionPipeline(model);
        double[] seconds = new double[n];
        for (int i = -2; i < n; i++) {
            GenerationRequest request = GenerationRequest.builder().prompt(prompt).sampler(sampler).steps(steps)
                    .cfgScale(cfg).seed(100 + i + 2).size(side, side).build();
            long start = System.nanoTime();
            pipeline.generate(request, p -> { }, new CancellationToken());
            if (i >= 0) {
                seconds[i] = (System.nanoTime() - start) / 1e9;
            }
        }
        Arrays.sort(seconds);
        return String.format(Locale.ROOT, "timing: one %dx%d image, %s, %d steps, cfg %s: median %.3f s, best %.3f s,"
                + " worst %.3f s over %d runs (%s, precision %s, OMP_WAIT_POLICY=%s, load average %s)", side,
                side, sampler, steps, cfg, seconds[n / 2], seconds[0], seconds[n - 1], n,
                Machine.threads(), Precision.current().label(),
                System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset"), loadAverage());
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
