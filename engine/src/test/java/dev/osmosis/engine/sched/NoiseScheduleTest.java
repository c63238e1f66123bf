package dev.osmosis.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.engine.testing.Reference;
import org.junit.jupiter.api.Test;

/** The training schedule and the sigma tables built from it. */
class NoiseScheduleTest {
    private static final SchedulerConfig SD = SchedulerConfig.stableDiffusion();

    /** diffusers builds these in float32 (torch.linspace); ours may differ in the last bit. */
    @Test
    void scaledLinearScheduleMatchesDiffusers() {
        try (Reference ref = Reference.of("schedulers.safetensors")) {
            assertTablesClose(ref.floats("out.betas"), NoiseSchedule.betas(SD));
            assertTablesClose(ref.floats("out.alphas_cumprod"), NoiseSchedule.alphasCumprod(SD));
        }
    }

    @Test
    void zeroTerminalSnrEndsWithoutSignal() {
        float[] betas = NoiseSchedule.betas(SD);
        float[] rescaled = NoiseSchedule.cumulativeAlphas(NoiseSchedule.rescaleZeroTerminalSnr(betas));
        float[] original = NoiseSchedule.cumulativeAlphas(betas);
        assertEquals(0f, rescaled[999], 1e-9f);
        assertEquals(original[0], rescaled[0], 1e-6f);
        float[] sigmas = Sigmas.ofTrainingSteps(rescaled);
        assertEquals(4096f, sigmas[999], 1f);
    }

    @Test
    void cosineScheduleIsCappedAndIncreasing() {
        float[] betas = NoiseSchedule.cosineBetas(1000);
        for (int i = 1; i < betas.length; i++) {
            assertTrue(betas[i] >= betas[i - 1] && betas[i] <= 0.999f, "beta " + i);
        }
    }

    @Test
    void karrasSigmasRunFromMaxToMinEvenlyInRootSpace() {
        double[] sigmas = Sigmas.karras(0.03, 14.6, 5);
        assertEquals(14.6, sigmas[0], 1e-12);
        assertEquals(0.03, sigmas[4], 1e-12);
        double step = Math.pow(sigmas[1], 1 / 7.0) - Math.pow(sigmas[0], 1 / 7.0);
        for (int i = 2; i < 5; i++) {
            assertEquals(step, Math.pow(sigmas[i], 1 / 7.0) - Math.pow(sigmas[i - 1], 1 / 7.0), 1e-12);
        }
    }

    @Test
    void sigmaToTimestepInvertsTheTable() {
        float[] sigmas = Sigmas.ofTrainingSteps(NoiseSchedule.alphasCumprod(SD));
        float[] logSigmas = Sigmas.log(sigmas);
        for (int t : new int[] {0, 1, 146, 500, 998, 999}) {
            assertEquals(t, Sigmas.timestepOf(sigmas[t], logSigmas), 1e-4);
        }
        assertEquals(0, Sigmas.timestepOf(1e-3, logSigmas));
        assertEquals(999, Sigmas.timestepOf(100, logSigmas));
    }

    private static void assertTablesClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        double ratio = TestTensors.errorRatio(expected, actual, 0, 2e-6);
        assertTrue(ratio <= 1, ratio + "x the tolerance");
    }
}
