package dev.osmosis.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.engine.nn.Precision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The A1111 "parameters" text, written and read back, and as A1111 itself writes it. */
class InfotextTest {
    private static final GenerationRequest BASE = GenerationRequest.builder().build();

    @Test
    void everySettingSurvivesTheRoundTrip() {
        GenerationRequest r = GenerationRequest.builder().prompt("a (red:1.3) star,\nsharp").negativePrompt("blurry")
                .sampler("dpmpp_2m_karras").steps(12).cfgScale(4.5).seed(4242).size(256, 192).clipSkip(2)
                .precision(Precision.BF16)
                .plugins(List.of(new GenerationRequest.PluginRequest("deepcache", Map.of("interval", "3")))).build();
        String text = Infotext.format(r, 4242, "osmosis-shapes");
        assertTrue(text.contains("Precision: bf16") && text.contains("Plugins: \"deepcache:interval=3\""), text);
        GenerationRequest back = Infotext.restore(text, BASE).build();
        assertEquals(r.prompt(), back.prompt());
        assertEquals(r.negativePrompt(), back.negativePrompt());
        assertEquals(List.of("dpmpp_2m_karras", 12, 4.5, 4242L, 256, 192, 2, Precision.BF16),
                List.of(back.sampler(), back.steps(), back.cfgScale(), back.seed(), back.width(), back.height(),
                        back.clipSkip(), back.precision()));
        assertEquals(r.plugins(), back.plugins());
    }

    @Test
    void fp32IsTheDefaultAndNotWritten() {
        GenerationRequest r = GenerationRequest.builder().prompt("x").build();
        String text = Infotext.format(r, 1, null);
        assertFalse(text.contains("Precision"), text);
        assertEquals(Precision.FP32, Infotext.restore(text, BASE.toBuilder().precision(Precision.BF16).build()).build()
                .precision());
    }

    @Test
    void a1111TextRestoresItsSettingsAndForeignValuesFallBack() {
        String a1111 = "a cat\nNegative prompt: dog\nSteps: 30, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6,"
                + " Seed: 77, Size: 512x768, Model hash: abc, Precision: fp8, Version: v1.9.0";
        GenerationRequest back = Infotext.restore(a1111, BASE).build();
        assertEquals("a cat", back.prompt());
        assertEquals("dog", back.negativePrompt());
        assertEquals(List.of("dpmpp_2m_karras", 30, 6.0, 77L, 512, 768, Precision.FP32),
                List.of(back.sampler(), back.steps(), back.cfgScale(), back.seed(), back.width(), back.height(),
                        back.precision()));
    }
}
