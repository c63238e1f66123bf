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
