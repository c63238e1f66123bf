package dev.osmosis.engine.sched;

import static dev.osmosis.engine.sched.TestTensors.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.osmosis.engine.testing.Reference;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry, its errors, and the img2img entry points (begin index, addNoise). */
class SamplersTest {
    private static final SchedulerConfig SD = SchedulerConfig.stableDiffusion();

    @Test
    void namesInRegistryOrder() {
        assertEquals(List.of("ddim", "pndm", "euler", "euler_a", "heun", "dpmpp_2m", "dpmpp_2m_karras", "lcm", "unipc"),
                Samplers.names());
    }

    @Test
    void unknownNameListsTheAllowedNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Samplers.create("k_lms", SD, 20));
        assertTrue(e.getMessage().contains("k_lms"), e.getMessage());
        for (String name : Samplers.names()) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Samplers.create(null, SD, 20));
    }

    @Test
    void stepsOutOfRangeNameTheField() {
        for (int steps : new int[] {0, -3, 1001}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Samplers.create("euler", SD, steps));
            assertTrue(e.getMessage().startsWith("steps must be between 1 and 1000"), e.getMessage());
        }
        IllegalArgumentException lcm = assertThrows(IllegalArgumentException.class,
                () -> Samplers.create("lcm", SD, 51));
        assertTrue(lcm.getMessage().contains("original_inference_steps"), lcm.getMessage());
    }

    @Test
    void everySamplerRunsAtTheStepLimits() {
        for (String name : Samplers.names()) {
            for (int steps : new int[] {1, 2, name.equals("lcm") ? 50 : 1000}) {
                float[] t = Samplers.create(name, SD, steps).timesteps();
                int expected = switch (name) {
                    case "pndm" -> steps == 1 ? 1 : steps + 1;
                    case "heun" -> 2 * steps - 1;
                    default -> steps;
                };
                assertEquals(expected, t.length, name + " with " + steps + " steps");
            }
        }
    }

    @Test
    void ddimImg2imgStartsAtStrength() {
        Scheduler ddim = Samplers.create("ddim", SD, 10);
        assertEquals(4, ddim.img2imgBegin(0.6));
        assertEquals(0, ddim.img2imgBegin(1.0));
        float[] timesteps = ddim.timesteps();
        try (Reference ref = Reference.of("pipeline_img2img_ddim.safetensors")) {
            long[] expected = ref.longs("out.timesteps");
            float[] run = Arrays.copyOfRange(timesteps, 4, timesteps.length);
            assertEquals(expected.length, run.length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], run[i], 0f);
            }
        }
    }

    @Test
    void heunImg2imgSkipsTwoCallsPerStep() {
        assertEquals(8, Samplers.create("heun", SD, 10).img2imgBegin(0.6));
    }

    @Test
    void img2imgStrengthErrors() {
        Scheduler ddim = Samplers.create("ddim", SD, 10);
        assertThrows(IllegalArgumentException.class, () -> ddim.img2imgBegin(1.5));
        assertThrows(IllegalArgumentException.class, () -> ddim.img2imgBegin(Double.NaN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ddim.img2imgBegin(0.05));
        assertTrue(e.getMessage().contains("no step"), e.getMessage());
    }

    /** DDIM: sqrt(abar_t) x + sqrt(1 - abar_t) n at t = 501, the img2img start above. */
    @Test
    void ddimAddNoise() {
        Scheduler ddim = Samplers.create("ddim", SD, 10);
        int begin = ddim.img2imgBegin(0.6);
        double abar;
        try (Reference ref = Reference.of("schedulers.safetensors")) {
            abar = ref.floats("out.alphas_cumprod")[(int) ddim.timesteps()[begin]];
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = pattern(manager, 0.37);
            NDArray n = pattern(manager, 0.91);
            assertClose(x.mul(Math.sqrt(abar)).add(n.mul(Math.sqrt(1 - abar))), ddim.addNoise(x, n, begin));
        }
    }

    /** Euler: x + sigma_i n, sigma from diffusers' table. */
    @Test
    void eulerAddNoise() {
        Scheduler euler = Samplers.create("euler", SD, 4);
        float[] sigmas;
        try (Reference ref = Reference.of("schedulers.safetensors")) {
            sigmas = ref.floats("out.euler.N4.sigmas");
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = pattern(manager, 0.37);
            NDArray n = pattern(manager, 0.91);
            for (int i = 0; i < 4; i++) {
                assertClose(x.add(n.mul(sigmas[i])), euler.addNoise(x, n, i));
            }
        }
    }

    @Test
    void callIndexOutsideTheScheduleFails() {
        Scheduler euler = Samplers.create("euler", SD, 4);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = pattern(manager, 0.37);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> euler.step(x, 4, x, NoiseSource.none()));
            assertTrue(e.getMessage().contains("0..3"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> euler.scaleModelInput(x, -1));
        }
    }

    @Test
    void ancestralSamplerAsksForNoise() {
        Scheduler eulerA = Samplers.create("euler_a", SD, 4);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = pattern(manager, 0.37);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> eulerA.step(x, 0, x, NoiseSource.none()));
            assertTrue(e.getMessage().contains("noise"), e.getMessage());
        }
    }

    @Test
    void heunCorrectorNeedsItsPredictor() {
        Scheduler heun = Samplers.create("heun", SD, 4);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = pattern(manager, 0.37);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> heun.step(x, 1, x, NoiseSource.none()));
            assertTrue(e.getMessage().contains("predictor"), e.getMessage());
        }
    }

    @Test
    void trailingSpacingGivesExactlyTheStepsAskedFor() {
        // numpy.arange(1000, 0, -1000/61) has 62 entries; diffusers would get a 62nd timestep of -1
        float[] t = Samplers.create("ddim", SD.withTimestepSpacing("trailing"), 61).timesteps();
        assertEquals(61, t.length);
        assertEquals(999f, t[0]);
        assertEquals(15f, t[60]);
    }

    @Test
    void pndmRepeatsItsSecondTimestep() {
        assertArrayEquals(new float[] {501, 1, 1}, Samplers.create("pndm", SD, 2).timesteps());
    }

    private static void assertClose(NDArray expected, NDArray actual) {
        TestTensors.assertClose(expected, actual, Reference.UNIT_ATOL, Reference.UNIT_RTOL);
    }
}
