package dev.osmosis.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.engine.model.ModelLoader;
import dev.osmosis.engine.model.StableDiffusionModel;
import dev.osmosis.engine.pipeline.ProgressListener.Phase;
import dev.osmosis.engine.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a front end sees of a generation: phases in order, steps, and cancellation in every phase. */
class PipelinePhasesTest {
    private static StableDiffusionModel model;

    @BeforeAll
    static void load() {
        model = ModelLoader.load(Fixtures.tinySd1());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void phasesAndStepsArriveInOrder() {
        List<String> events = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void onStep(Progress p) {
                events.add("step " + p.step() + "/" + p.total());
            }

            @Override
            public void onPhase(Phase phase, int done, int total) {
                events.add(phase + " " + done + "/" + total);
            }
        };
        new StableDiffusionPipeline(model).generate(GenerationRequest.builder().prompt("x").steps(2).size(64, 64).build(),
                listener, new CancellationToken());
        assertEquals(List.of("ENCODING_PROMPT 0/1", "DENOISING 0/2", "step 1/2", "step 2/2", "DECODING 0/1",
                "DECODING 1/1"), events);
    }

    @Test
    void theSameRequestGivesTheSameBitsAndImageKOfABatchIsSeedPlusK() {
        StableDiffusionPipeline pipeline = new StableDiffusionPipeline(model);
        GenerationRequest.Builder r = GenerationRequest.builder().prompt("a (red:1.3) star").negativePrompt("blur")
                .sampler("euler_a").steps(4).size(64, 64);
        GenerationResult batch = pipeline.generate(r.seed(5).batch(2).build(), ProgressListener.none(),
                new CancellationToken());
        GenerationResult again = pipeline.generate(r.seed(5).batch(2).build(), ProgressListener.none(),
                new CancellationToken());
        org.junit.jupiter.api.Assertions.assertArrayEquals(batch.latents(), again.latents());
        // the second image alone, from seed 6: the same noise, so the same picture up to batching's rounding
        float[] alone = pipeline.generate(r.seed(6).batch(1).build(), ProgressListener.none(),
                new CancellationToken()).latents();
        float[] second = java.util.Arrays.copyOfRange(batch.latents(), alone.length, 2 * alone.length);
        for (int i = 0; i < alone.length; i++) {
            assertEquals(alone[i], second[i], 1e-3 + 1e-3 * Math.abs(alone[i]), "latent " + i);
        }
        assertEquals(List.of(5L, 6L), batch.seeds());
    }

    @Test
    void aLargeTiledDecodeCanBeCancelledBetweenTiles() {
        CancellationToken token = new CancellationToken();
        List<Integer> tiles = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void onStep(Progress p) {
            }

            @Override
            public void onPhase(Phase phase, int done, int total) {
                if (phase == Phase.DECODING && done > 0) {
                    tiles.add(total);
                    token.cancel();
                }
            }
        };
        // 832 px = 104 latents a side: past the one-piece limit, so the VAE decodes tiles
        GenerationRequest r = GenerationRequest.builder().prompt("x").steps(1).cfgScale(1).size(832, 832).build();
        assertThrows(GenerationCancelledException.class,
                () -> new StableDiffusionPipeline(model).generate(r, listener, token));
        assertEquals(1, tiles.size(), "stopped after the first tile");
        assertTrue(tiles.get(0) > 1, "decoded in " + tiles.get(0) + " tiles");
    }
}
