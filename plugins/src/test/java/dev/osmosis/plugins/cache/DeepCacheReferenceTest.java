package dev.osmosis.plugins.cache;

import static dev.osmosis.engine.testing.Reference.PIPELINE_ATOL;
import static dev.osmosis.engine.testing.Reference.PIPELINE_RTOL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.model.ModelLoader;
import dev.osmosis.engine.model.StableDiffusionModel;
import dev.osmosis.engine.pipeline.CancellationToken;
import dev.osmosis.engine.pipeline.DenoisingObserver;
import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.GenerationResult;
import dev.osmosis.engine.pipeline.PluginSpec;
import dev.osmosis.engine.pipeline.ProgressListener;
import dev.osmosis.engine.pipeline.StableDiffusionPipeline;
import dev.osmosis.engine.sched.NoiseSource;
import dev.osmosis.engine.testing.Fixtures;
import dev.osmosis.engine.testing.Reference;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DeepCache against horseee/DeepCache's DeepCacheSDHelper on tiny-sd1 (reference/deepcache_*.safetensors):
 * DDIM 10 steps, CFG 7.5; every call's UNet output (partly from the cache) and latents.
 */
class DeepCacheReferenceTest {
    private static StableDiffusionModel model;

    @BeforeAll
    static void load() {
        model = ModelLoader.load(Fixtures.tinySd1());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "deepcache_baseline.safetensors, ''",
        "deepcache_i3_b0.safetensors, 'deepcache:interval=3,branch=0'",
        "deepcache_i2_b1.safetensors, 'deepcache:interval=2,branch=1'",
    })
    void deepCacheMatchesTheReferenceHelper(String file, String plugin) {
        try (Reference ref = Reference.of(file)) {
            GenerationRequest request = GenerationRequest.builder().prompt("a photo of a cat")
                    .negativePrompt("blurry, low quality, watermark").sampler("ddim").steps(10).cfgScale(7.5)
                    .size(96, 64).initialLatents(ref.floats("in.latents"))
                    .plugins(plugin.isEmpty() ? List.of() : List.of(PluginSpec.parse(plugin))).build();
            int[] steps = {0};
            DenoisingObserver trajectory = new DenoisingObserver() {
                @Override
                public void unetOutput(int i, NDArray output) {
                    ref.assertClose("out.step" + i + ".unet_out", output, PIPELINE_ATOL, PIPELINE_RTOL);
                }

                @Override
                public void afterStep(int i, float timestep, NDArray latents) {
                    ref.assertClose("out.step" + i + ".latents", latents, PIPELINE_ATOL, PIPELINE_RTOL);
                    steps[0]++;
                }
            };
            GenerationResult result = new StableDiffusionPipeline(model).generate(request, NoiseSource.none(),
                    trajectory, ProgressListener.none(), new CancellationToken());
            assertEquals(10, steps[0]);
            ref.assertClose("out.latents_final", result.latents(), PIPELINE_ATOL, PIPELINE_RTOL);
        }
    }
}
