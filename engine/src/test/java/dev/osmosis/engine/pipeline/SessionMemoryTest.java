package dev.osmosis.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.engine.model.ModelLoader;
import dev.osmosis.engine.model.StableDiffusionModel;
import dev.osmosis.engine.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A long session must not grow: every array of a generation is freed when it ends, cancelled or not. */
class SessionMemoryTest {
    @Test
    void hundredGenerationsLeaveNoArrayBehindAndMemoryFlat() throws IOException {
        try (StableDiffusionModel model = ModelLoader.load(Fixtures.tinySd1())) {
            StableDiffusionPipeline pipeline = new StableDiffusionPipeline(model);
            int weights = model.manager().getManagedArrays().size();
            GenerationRequest.Builder request = GenerationRequest.builder().prompt("a (red:1.2) star").negativePrompt("x")
                    .sampler("euler_a").steps(3).size(64, 64).batch(2);
            ProgressListener withPreview = new ProgressListener() {
                @Override
                public void onStep(Progress p) {
                }

                @Override
                public boolean wantsPreview() {
                    return true;
                }
            };
            // resident native memory after generations 20, 25, .. 95: the allocators settle during the first
            // tens of generations (glibc arenas, oneDNN primitive caches); after that it must stay flat.
            // Single readings jitter by tens of MB (arenas, heap pages), so each half is judged by its lowest.
            long[] nativeKb = new long[16];
            for (int i = 0; i < 100; i++) {
                pipeline.generate(request.seed(i).build(), withPreview, new CancellationToken());
                assertEquals(weights, model.manager().getManagedArrays().size(), "arrays left after generation " + i);
                if (i >= 20 && i % 5 == 0) {
                    nativeKb[(i - 20) / 5] = nativeKb();
                }
            }
            long early = java.util.Arrays.stream(nativeKb, 0, 8).min().orElseThrow();
            long late = java.util.Arrays.stream(nativeKb, 8, 16).min().orElseThrow();
            assertTrue(late - early < 32 * 1024, "native memory grew by " + (late - early)
                    + " KB between generations 20-55 and 60-95 (" + java.util.Arrays.toString(nativeKb) + ")");
        }
    }

    @Test
    void cancelledGenerationsFreeTheirArraysToo() {
        try (StableDiffusionModel model = ModelLoader.load(Fixtures.tinySd1())) {
            StableDiffusionPipeline pipeline = new StableDiffusionPipeline(model);
            int weights = model.manager().getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                CancellationToken token = new CancellationToken();
                GenerationRequest r = GenerationRequest.builder().prompt("x").steps(6).size(64, 64).seed(i).build();
                assertThrows(GenerationCancelledException.class, () -> pipeline.generate(r, p -> {
                    if (p.step() == 2) {
                        token.cancel();
                    }
                }, token));
                assertEquals(weights, model.manager().getManagedArrays().size());
            }
        }
    }

    /** Resident memory outside the Java heap (libtorch's allocations, mostly), after a full GC. */
    private static long nativeKb() throws IOException {
        System.gc();
        long heapKb = Runtime.getRuntime().totalMemory() / 1024;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) - heapKb;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
