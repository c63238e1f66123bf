package dev.osmosis.plugins.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.engine.image.ImageLoading;
import dev.osmosis.engine.model.ModelLoader;
import dev.osmosis.engine.model.StableDiffusionModel;
import dev.osmosis.engine.pipeline.CancellationToken;
import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.GenerationResult;
import dev.osmosis.engine.pipeline.PluginSpec;
import dev.osmosis.engine.pipeline.ProgressListener;
import dev.osmosis.engine.pipeline.StableDiffusionPipeline;
import dev.osmosis.engine.plugin.Plugin;
import dev.osmosis.engine.plugin.PluginFamily;
import dev.osmosis.engine.plugin.PluginRegistry;
import dev.osmosis.engine.sched.Samplers;
import dev.osmosis.engine.testing.Fixtures;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The accelerators through the real pipeline on tiny-sd1: discovery, settings, identity when idle, composition. */
class AcceleratorPluginsTest {
    private static StableDiffusionModel model;
    private static StableDiffusionPipeline pipeline;

    @BeforeAll
    static void load() {
        model = ModelLoader.load(Fixtures.tinySd1());
        pipeline = new StableDiffusionPipeline(model);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static GenerationRequest.Builder request(String sampler) {
        return GenerationRequest.builder().prompt("a red star").negativePrompt("blurry").sampler(sampler).steps(6)
                .cfgScale(5).seed(7).size(64, 64);
    }

    private static GenerationResult run(GenerationRequest.Builder request, String... plugins) {
        return pipeline.generate(request.plugins(Arrays.stream(plugins).map(PluginSpec::parse).toList()).build(),
                ProgressListener.none(), new CancellationToken());
    }

    @Test
    void bothAcceleratorsAreDiscoveredWithTheirSettings() {
        PluginRegistry registry = PluginRegistry.discover();
        Plugin deepCache = registry.get("deepcache");
        Plugin faster = registry.get("fasterdiffusion");
        assertEquals(PluginFamily.ACCELERATOR, deepCache.family());
        assertEquals(PluginFamily.ACCELERATOR, faster.family());
        assertEquals(List.of("interval", "branch", "schedule", "center", "power"),
                deepCache.settings().stream().map(s -> s.key()).toList());
    }

    @Test
    void badNamesAndValuesListWhatIsAllowed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> run(request("ddim"), "deepcash"));
        assertTrue(unknown.getMessage().contains("deepcache") && unknown.getMessage().contains("fasterdiffusion"),
                unknown.getMessage());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> run(request("ddim"), "deepcache:intervall=3"));
        assertTrue(key.getMessage().contains("[interval, branch, schedule, center, power]"), key.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> run(request("ddim"), "deepcache:interval=0"));
        assertTrue(range.getMessage().contains("interval") && range.getMessage().contains("from 1 to 50"),
                range.getMessage());
        IllegalArgumentException choice = assertThrows(IllegalArgumentException.class,
                () -> run(request("ddim"), "deepcache:schedule=random"));
        assertTrue(choice.getMessage().contains("[uniform, non_uniform]"), choice.getMessage());
        IllegalArgumentException branch = assertThrows(IllegalArgumentException.class,
                () -> run(request("ddim"), "deepcache:branch=9"));
        assertTrue(branch.getMessage().contains("expected 0 to 5"), branch.getMessage());
    }

    static Stream<String> samplers() {
        return Samplers.names().stream();
    }

    /** Switched to "recompute everything", each accelerator takes the staged path yet changes no bit. */
    @ParameterizedTest
    @MethodSource("samplers")
    void acceleratorsThatReuseNothingAreBitIdenticalWithEverySampler(String sampler) {
        GenerationRequest.Builder r = request(sampler).batch(2);
        float[] off = run(r).latents();
        assertArrayEquals(off, run(r, "deepcache:interval=1").latents());
        assertArrayEquals(off, run(r, "fasterdiffusion:key_steps=uniform,interval=1,prior_noise=0").latents());
    }

    @Test
    void identityHoldsForImg2ImgAndWithoutGuidance() {
        GenerationRequest.Builder img2img = request("euler_a").initImage(
                ImageLoading.read(Fixtures.reference("img2img_input.png"))).strength(0.5).size(96, 64);
        assertArrayEquals(run(img2img).latents(), run(img2img, "deepcache:interval=1").latents());
        GenerationRequest.Builder noCfg = request("dpmpp_2m").cfgScale(1);
        assertArrayEquals(run(noCfg).latents(), run(noCfg, "deepcache:interval=1").latents());
    }

    @Test
    void acceleratorsChangeTheResultAndSayWhatTheyDid() {
        GenerationRequest.Builder r = request("euler").steps(9);
        GenerationResult off = run(r);
        GenerationResult deep = run(r, "deepcache:interval=3");
        assertFalse(Arrays.equals(off.latents(), deep.latents()));
        assertEquals(List.of("deepcache: 6 of 9 UNet calls shallow (full at {0, 3, 6})"), deep.pluginReports());
        GenerationResult faster = run(r, "fasterdiffusion");
        assertTrue(faster.pluginReports().get(0).startsWith("fasterdiffusion: 3 of 9 UNet calls reused the encoder"),
                faster.pluginReports().toString());
    }

    @Test
    void twoAcceleratorsComposeReusingOnlyWhatBothAllow() {
        GenerationRequest.Builder r = request("ddim").steps(8).batch(2);
        String deep = "deepcache:interval=2";
        String faster = "fasterdiffusion:key_steps=uniform,interval=4,prior_noise=0";
        GenerationResult both = run(r, deep, faster);
        assertEquals(List.of("deepcache: 4 of 8 UNet calls shallow (full at {0, 2, 4, 6})",
                "fasterdiffusion: 6 of 8 UNet calls reused the encoder (key steps {0, 4})"), both.pluginReports());
        for (float v : both.latents()) {
            assertTrue(Float.isFinite(v));
        }
        // on odd calls DeepCache would reuse the decoder too, Faster Diffusion would not: the decoder runs
        assertFalse(Arrays.equals(run(r, deep).latents(), both.latents()));
        assertFalse(Arrays.equals(run(r, faster).latents(), both.latents()));
    }
}
