package dev.osmosis.app.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.app.testing.FakeEngine;
import dev.osmosis.engine.io.SafetensorsWriter;
import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.GenerationRequest.PluginRequest;
import dev.osmosis.engine.pipeline.Infotext;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptViewModelTest {
    private final PromptViewModel vm = new PromptViewModel(() -> 123456789L);

    @Test
    void buildsTheRequestFromEveryField() {
        vm.promptProperty().set("a red star");
        vm.negativePromptProperty().set("blurry");
        vm.samplerProperty().set("dpmpp_2m_karras");
        vm.stepsProperty().set(12);
        vm.cfgScaleProperty().set(5.5);
        vm.widthProperty().set(640);
        vm.heightProperty().set(384);
        vm.batchProperty().set(3);
        vm.clipSkipProperty().set(2);
        GenerationRequest r = vm.buildRequest(42, List.of(new PluginRequest("deepcache", Map.of("interval", "3"))));
        assertEquals("a red star", r.prompt());
        assertEquals("blurry", r.negativePrompt());
        assertEquals("dpmpp_2m_karras", r.sampler());
        assertEquals(12, r.steps());
        assertEquals(5.5, r.cfgScale());
        assertEquals(42, r.seed());
        assertEquals(640, r.width());
        assertEquals(384, r.height());
        assertEquals(3, r.batch());
        assertEquals(2, r.clipSkip());
        assertEquals("deepcache", r.plugins().get(0).id());
        assertTrue(!r.isImg2Img());
    }

    @Test
    void problemNamesTheBadFieldAndClearsWhenFixed() {
        assertNull(vm.problemProperty().get());
        vm.widthProperty().set(500);
        assertTrue(vm.problemProperty().get().startsWith("width"), vm.problemProperty().get());
        vm.widthProperty().set(512);
        assertNull(vm.problemProperty().get());
        vm.stepsProperty().set(0);
        assertTrue(vm.problemProperty().get().startsWith("steps"));
    }

    @Test
    void seedModes() {
        vm.seedProperty().set(7);
        vm.seedModeProperty().set(SeedMode.FIXED);
        assertEquals(7, vm.nextSeed());
        vm.seedModeProperty().set(SeedMode.RANDOM);
        assertEquals(123456789L & GenerationRequest.MAX_SEED, vm.nextSeed());
        vm.recordSeed(999);
        assertEquals(999, vm.seedProperty().get(), "random mode shows the seed it used");
        vm.seedModeProperty().set(SeedMode.REUSE_LAST);
        assertEquals(999, vm.nextSeed());
        vm.seedModeProperty().set(SeedMode.FIXED);
        vm.seedProperty().set(5);
        vm.recordSeed(1000);
        assertEquals(5, vm.seedProperty().get(), "a fixed seed stays");
        vm.reuseLastSeed();
        assertEquals(1000, vm.seedProperty().get());
        assertEquals(SeedMode.FIXED, vm.seedModeProperty().get());
    }

    @Test
    void img2imgUsesTheInitImageAndStrength() {
        vm.initImageProperty().set(new InitImage(null, FakeEngine.image(100, 80, Color.RED)));
        vm.strengthProperty().set(0.4);
        GenerationRequest r = vm.buildRequest(1, List.of());
        assertTrue(r.isImg2Img());
        assertEquals(0.4, r.strength());
    }

    @Test
    void parametersRoundTripThroughTheA1111Text() {
        GenerationRequest made = GenerationRequest.builder().prompt("a (blue:1.2) ring").negativePrompt("text")
                .sampler("heun").steps(9).cfgScale(4).seed(31337).size(576, 448).clipSkip(2)
                .precision(dev.osmosis.engine.nn.Precision.BF16).plugins(List.of(new PluginRequest("deepcache", Map.of("interval", "2")))).build();
        String text = Infotext.format(made, 31337, "shapes-v1");
        PromptViewModel.Restored restored = vm.applyParameters(text);
        assertEquals("a (blue:1.2) ring", vm.promptProperty().get());
        assertEquals("text", vm.negativePromptProperty().get());
        assertEquals("heun", vm.samplerProperty().get());
        assertEquals(9, vm.stepsProperty().get());
        assertEquals(4.0, vm.cfgScaleProperty().get());
        assertEquals(31337, vm.seedProperty().get());
        assertEquals(SeedMode.FIXED, vm.seedModeProperty().get());
        assertEquals(576, vm.widthProperty().get());
        assertEquals(448, vm.heightProperty().get());
        assertEquals(2, vm.clipSkipProperty().get());
        assertEquals("bf16", vm.precisionProperty().get());
        assertEquals(dev.osmosis.engine.nn.Precision.BF16, vm.buildRequest(1, List.of()).precision());
        assertEquals("shapes-v1", restored.model());
        assertEquals("deepcache", restored.plugins().get(0).id());
    }

    @Test
    void blankParametersAreRefusedWithAReason() {
        var e = assertThrows(IllegalArgumentException.class, () -> vm.applyParameters("  "));
        assertTrue(e.getMessage().contains("no generation parameters"));
    }

    @Test
    void snapshotRestoresIntoAFreshForm() {
        vm.promptProperty().set("kept");
        vm.stepsProperty().set(33);
        vm.seedModeProperty().set(SeedMode.REUSE_LAST);
        vm.deviceProperty().set("gpu");
        vm.precisionProperty().set("bf16");
        vm.saveLatentsProperty().set(true);
        PromptViewModel other = new PromptViewModel();
        other.restore(vm.snapshot());
        assertEquals("kept", other.promptProperty().get());
        assertEquals(33, other.stepsProperty().get());
        assertEquals(SeedMode.REUSE_LAST, other.seedModeProperty().get());
        assertEquals("gpu", other.deviceProperty().get());
        assertEquals("bf16", other.precisionProperty().get());
        assertTrue(other.saveLatentsProperty().get());
    }

    @Test
    void restoreSkipsNonsenseInsteadOfFailing() {
        vm.restore(Map.of("sampler", "no_such_sampler", "seedMode", "SIDEWAYS", "steps", "many", "device", "tpu",
                "precision", "fp4"));
        assertEquals("euler_a", vm.samplerProperty().get());
        assertEquals(SeedMode.RANDOM, vm.seedModeProperty().get());
        assertEquals(20, vm.stepsProperty().get());
        assertEquals("cpu", vm.deviceProperty().get());
        assertEquals("fp32", vm.precisionProperty().get());
    }

    @Test
    void nativeSizeReplacesOnlyAnUntouchedSize() {
        vm.adoptNativeSize(128);
        assertEquals(128, vm.widthProperty().get());
        vm.widthProperty().set(192);
        vm.adoptNativeSize(512);
        assertEquals(192, vm.widthProperty().get());
        assertEquals(128, vm.heightProperty().get());
    }

    @Test
    void aModelsRecommendedCfgReplacesOnlyAnUntouchedCfg() {
        assertEquals(7.5, vm.cfgScaleProperty().get());
        vm.adoptRecommendedCfg(3);
        assertEquals(3, vm.cfgScaleProperty().get());
        vm.adoptRecommendedCfg(7.5);
        assertEquals(7.5, vm.cfgScaleProperty().get());
        vm.cfgScaleProperty().set(5);
        vm.adoptRecommendedCfg(3);
        assertEquals(5, vm.cfgScaleProperty().get());
    }

    @Test
    void modelSettingsFromTheAdvancedFields() {
        assertNull(vm.modelSettings().predictionType());
        vm.predictionProperty().set("v_prediction");
        vm.textEncoderHeadsProperty().set(16);
        assertEquals("v_prediction", vm.modelSettings().predictionType());
        assertEquals(16, vm.modelSettings().textEncoderHeads());
    }

    @Test
    void initialLatentsFileIsReadAndItsShapeChecked(@TempDir Path dir) {
        Path file = dir.resolve("noise.safetensors");
        SafetensorsWriter.create().put("latents", new long[] {1, 4, 8, 8}, new float[256]).write(file);
        vm.initNoiseProperty().set(file);
        vm.widthProperty().set(64);
        vm.heightProperty().set(64);
        assertNotNull(vm.buildRequest(1, List.of()).initialLatents());
        vm.widthProperty().set(128);
        var e = assertThrows(IllegalArgumentException.class, () -> vm.buildRequest(1, List.of()));
        assertTrue(e.getMessage().contains("noise.safetensors"), e.getMessage());
    }
}
