package dev.osmosis.engine.pipeline;

import static dev.osmosis.engine.testing.Reference.PIPELINE_ATOL;
import static dev.osmosis.engine.testing.Reference.PIPELINE_RTOL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.osmosis.engine.image.ImageLoading;
import ai.djl.Device;
import dev.osmosis.engine.model.ModelLoader;
import dev.osmosis.engine.model.ModelOptions;
import dev.osmosis.engine.model.StableDiffusionModel;
import dev.osmosis.engine.sched.NoiseSource;
import dev.osmosis.engine.testing.Fixtures;
import dev.osmosis.engine.testing.Reference;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole pipelines against diffusers' StableDiffusion(Img2Img)Pipeline on tiny-sd1: every step's UNet
 * output and latents, the final latents and the image, loading the model both from the diffusers
 * folder and from the single-file LDM checkpoint.
 */
class PipelineReferenceTest {
    private static final String PROMPT = "a photo of a cat";
    private static final String NEGATIVE = "blurry, low quality, watermark";
    private static final Map<String, StableDiffusionModel> MODELS = new HashMap<>();

    @BeforeAll
    static void load() {
        MODELS.put("folder", ModelLoader.load(Fixtures.tinySd1()));
        // the tiny text encoder has 8-wide heads, which a single file cannot show (real SD: 64)
        MODELS.put("single-file", ModelLoader.load(Fixtures.path("tiny-sd1/tiny-sd1-ldm.safetensors"), Device.cpu(),
                new ModelOptions(null, 4)));
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(StableDiffusionModel::close);
    }

    static Stream<Arguments> txt2img() {
        return Stream.of("folder", "single-file").flatMap(source -> Stream.of(
                Arguments.of(source, "pipeline_txt2img_ddim.safetensors", "ddim", 7.5),
                Arguments.of(source, "pipeline_txt2img_euler.safetensors", "euler", 7.5),
                Arguments.of(source, "pipeline_txt2img_dpmpp2m_karras.safetensors", "dpmpp_2m_karras", 7.5),
                Arguments.of(source, "pipeline_txt2img_ddim_nocfg.safetensors", "ddim", 1.0)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("txt2img")
    void txt2imgMatchesDiffusersStepByStep(String source, String file, String sampler, double cfg) {
        try (Reference ref = Reference.of(file); NDManager m = NDManager.newBaseManager()) {
            GenerationRequest request = GenerationRequest.builder().prompt(PROMPT).negativePrompt(NEGATIVE)
                    .sampler(sampler).steps(4).cfgScale(cfg).size(96, 64)
                    .initialLatents(ref.floats("in.latents")).build();
            Trajectory trajectory = new Trajectory(ref);
            GenerationResult result = new StableDiffusionPipeline(MODELS.get(source)).generate(request,
                    NoiseSource.none(), trajectory, ProgressListener.none(), new CancellationToken());
            assertEquals(4, trajectory.steps);
            ref.assertClose("out.latents_final", result.latents(), PIPELINE_ATOL, PIPELINE_RTOL);
            assertImageClose(ref, result.images().get(0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void img2imgMatchesDiffusersWithStoredDraws(String source) {
        try (Reference ref = Reference.of("pipeline_img2img_ddim.safetensors"); NDManager m = NDManager.newBaseManager()) {
            BufferedImage input = ImageLoading.read(Fixtures.reference("img2img_input.png"));
            GenerationRequest request = GenerationRequest.builder().prompt(PROMPT).negativePrompt(NEGATIVE)
                    .sampler("ddim").steps(10).strength(0.6).cfgScale(7.5).size(96, 64).initImage(input).build();
            // the reference's two draws, in the order the pipeline asks: VAE posterior sample, then noise
            Deque<String> draws = new ArrayDeque<>(java.util.List.of("out.vae_eps", "out.noise"));
            NoiseSource stored = like -> ref.array(like.getManager(), draws.removeFirst());
            Trajectory trajectory = new Trajectory(ref);
            GenerationResult result = new StableDiffusionPipeline(MODELS.get(source)).generate(request, stored,
                    trajectory, ProgressListener.none(), new CancellationToken());
            assertEquals(6, trajectory.steps);
            assertTrue(draws.isEmpty());
            ref.assertClose("out.latents_final", result.latents(), PIPELINE_ATOL, PIPELINE_RTOL);
            assertImageClose(ref, result.images().get(0));
        }
    }

    static Stream<String> sources() {
        return Stream.of("folder", "single-file");
    }

    /** Compares each model call with out.step{i}.*; steps are numbered from the first call run. */
    private static final class Trajectory implements DenoisingObserver {
        private final Reference ref;
        private int first = -1;
        int steps;

        Trajectory(Reference ref) {
            this.ref = ref;
        }

        @Override
        public void unetOutput(int i, NDArray output) {
            if (first < 0) {
                first = i;
            }
            ref.assertClose("out.step" + (i - first) + ".unet_out", output, PIPELINE_ATOL, PIPELINE_RTOL);
        }

        @Override
        public void afterStep(int i, float timestep, NDArray latents) {
            assertEquals(ref.scalar("out.step" + (i - first) + ".t"), timestep, 1e-3);
            ref.assertClose("out.step" + (i - first) + ".latents", latents, PIPELINE_ATOL, PIPELINE_RTOL);
            steps++;
        }
    }

    /** 8-bit pixels against the reference's [0, 1] floats: within one level of round(255 x). */
    static void assertImageClose(Reference ref, BufferedImage image) {
        float[] expected = ref.floats("out.image");
        long[] shape = ref.shape("out.image");
        assertEquals(shape[1], image.getHeight());
        assertEquals(shape[2], image.getWidth());
        byte[] actual = ImageLoading.rgbBytes(image);
        int worst = 0;
        for (int p = 0; p < expected.length; p++) {
            worst = Math.max(worst, Math.abs((actual[p] & 0xff) - Math.round(expected[p] * 255f)));
        }
        assertTrue(worst <= 1, "image differs by " + worst + " levels");
    }
}
