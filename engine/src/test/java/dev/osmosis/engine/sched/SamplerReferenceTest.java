package dev.osmosis.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.osmosis.engine.testing.Fixtures;
import dev.osmosis.engine.testing.Reference;
import java.io.IOException;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared suite every sampler runs against diffusers' reference (schedulers.safetensors): its
 * timesteps, sigmas, initial noise scale and a 4-step trajectory with the fake model
 * output = 0.1 * scaled_input + c, stored noise draws injected through the NoiseSource.
 */
class SamplerReferenceTest {
    private static final int[] STEP_COUNTS = {20, 4};
    private static final int TRAJECTORY_STEPS = 4;

    private static Reference ref;
    private static SchedulerConfig sd15;

    /** A reference entry: its key prefix, the sampler that reproduces it and the config it was made with. */
    record Variant(String key, String sampler, SchedulerConfig config) {
        String out(String name) {
            return "out." + key + "." + name;
        }

        String step(int i, String name) {
            return out("step" + i + "." + name);
        }

        Scheduler create(int steps) {
            return Samplers.create(sampler, config, steps);
        }

        @Override
        public String toString() {
            return key;
        }
    }

    @BeforeAll
    static void load() throws IOException {
        ref = Reference.of("schedulers.safetensors");
        sd15 = SchedulerConfig.fromJson(new ObjectMapper()
                .readTree(Fixtures.tinySd1().resolve("scheduler/scheduler_config.json").toFile()));
    }

    @AfterAll
    static void close() {
        ref.close();
    }

    static Stream<Variant> variants() {
        return Stream.of(
                new Variant("ddim", "ddim", sd15),
                new Variant("ddim_trailing", "ddim", sd15.withTimestepSpacing("trailing")),
                new Variant("pndm", "pndm", sd15),
                new Variant("euler", "euler", sd15),
                new Variant("euler_a", "euler_a", sd15),
                new Variant("dpmpp_2m", "dpmpp_2m", sd15),
                new Variant("dpmpp_2m_karras", "dpmpp_2m_karras", sd15),
                new Variant("lcm", "lcm", sd15),
                new Variant("heun", "heun", sd15),
                new Variant("unipc", "unipc", sd15));
    }

    /** The variants whose diffusers class has a sigma table. */
    static Stream<Variant> sigmaVariants() {
        return variants().filter(v -> ref.has(v.out("N4.sigmas")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void timestepsMatch(Variant v) {
        for (int n : STEP_COUNTS) {
            String key = v.out("N" + n + ".timesteps");
            float[] actual = v.create(n).timesteps();
            if (isInteger(key)) {
                long[] expected = ref.longs(key);
                assertEquals(expected.length, actual.length, key + ": length");
                for (int i = 0; i < expected.length; i++) {
                    assertEquals((float) expected[i], actual[i], 0f, key + "[" + i + "]");
                }
            } else {
                assertClose(key, ref.floats(key), actual, 1e-6, 1e-4);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sigmaVariants")
    void sigmasMatch(Variant v) {
        for (int n : STEP_COUNTS) {
            String key = v.out("N" + n + ".sigmas");
            assertClose(key, ref.floats(key), ((AbstractSampler) v.create(n)).sigmas(), 1e-6, 1e-5);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void initNoiseSigmaMatches(Variant v) {
        String key = v.out("init_noise_sigma");
        assertClose(key, new float[] {ref.scalar(key)}, new float[] {v.create(TRAJECTORY_STEPS).initNoiseSigma()},
                1e-6, 1e-6);
    }

    /** Each step runs in its own NDScope, as a pipeline would: the sampler's history must survive it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void trajectoryMatches(Variant v) {
        Scheduler sampler = v.create(TRAJECTORY_STEPS);
        Worst worst = new Worst();
        try (NDManager manager = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
            NDArray c = ref.array(manager, "in.c");
            NDArray sample = ref.array(manager, "in.noise").mul(sampler.initNoiseSigma());
            for (int i = 0; i < sampler.timesteps().length; i++) {
                try (NDScope stepScope = new NDScope()) {
                    assertEquals(ref.scalar(v.step(i, "t")), sampler.timesteps()[i], 1e-4f, v.step(i, "t"));
                    NDArray input = sampler.scaleModelInput(sample, i);
                    worst.check(v.step(i, "scaled_input"), input);
                    NDArray output = input.mul(0.1f).add(c);
                    worst.check(v.step(i, "model_output"), output);
                    NDArray next = sampler.step(output, i, sample, storedNoise(manager, v, i));
                    worst.check(v.step(i, "prev_sample"), next);
                    for (String name : new String[] {"pred_original_sample", "denoised"}) {
                        if (ref.has(v.step(i, name))) {
                            worst.check(v.step(i, name), ((AbstractSampler) sampler).lastDenoised().orElseThrow());
                        }
                    }
                    NDScope.unregister(next);
                    sample = next;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-16s worst error/tolerance %.4f at %s%n", v, worst.ratio, worst.key);
        assertTrue(worst.ratio <= 1, v + ": " + worst.key + " is " + worst.ratio + "x the tolerance");
    }

    /** The stored draws of step {@code i}; samplers that draw none get a source that fails if asked. */
    private static NoiseSource storedNoise(NDManager manager, Variant v, int i) {
        String key = v.step(i, "noise");
        return ref.has(key) ? like -> ref.array(manager, key) : NoiseSource.none();
    }

    private static boolean isInteger(String key) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return ref.array(manager, key).getDataType().isInteger();
        }
    }

    private static void assertClose(String key, float[] expected, float[] actual, double atol, double rtol) {
        assertEquals(expected.length, actual.length, key + ": length");
        double ratio = TestTensors.errorRatio(expected, actual, atol, rtol);
        assertTrue(ratio <= 1, key + ": " + ratio + "x the tolerance");
    }

    /** The largest error ratio seen over a trajectory, at the unit-test tolerance. */
    private static final class Worst {
        double ratio;
        String key = "-";

        void check(String key, NDArray actual) {
            assertEquals(ref.shape(key).length, actual.getShape().dimension(), key + ": rank");
            double r = TestTensors.errorRatio(ref.floats(key), actual.toFloatArray(),
                    Reference.UNIT_ATOL, Reference.UNIT_RTOL);
            if (r >= ratio) {
                ratio = r;
                this.key = key;
            }
        }
    }
}
