package dev.osmosis.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DiffusionScheduleTest {
    private final DiffusionSchedule schedule = DiffusionSchedule.stableDiffusion();

    @Test
    void endsOfTheScaledLinearScheduleAreStableDiffusions() {
        // diffusers: DDPMScheduler(beta_schedule="scaled_linear", 0.00085, 0.012).alphas_cumprod
        assertEquals(0.99915, schedule.alphaCumprod(0), 1e-6);
        assertEquals(0.0047, schedule.alphaCumprod(999), 1e-4);
    }

    @Test
    void minSnrLowersOnlyTheCleanEnd() {
        assertEquals(1.0, schedule.minSnrWeight(999, 5), 1e-12);
        assertEquals(5 / schedule.snr(0), schedule.minSnrWeight(0, 5), 1e-12);
    }

    @Test
    void zeroTerminalSnrLeavesNoSignalAtTheLastStep() {
        DiffusionSchedule zero = DiffusionSchedule.zeroTerminalSnr();
        assertEquals(0.0, zero.alphaCumprod(999), 0.0);
        assertEquals(schedule.alphaCumprod(0), zero.alphaCumprod(0), 1e-6);
        for (int t = 1; t < DiffusionSchedule.TRAIN_STEPS; t++) {
            assertTrue(zero.alphaCumprod(t) < zero.alphaCumprod(t - 1), "t=" + t);
        }
        // x_999 is pure noise, and the v target there is -x0: the whole image, weighted 1
        float[] x0 = {0.5f, -2f};
        float[] eps = {1f, 3f};
        float[] noisy = new float[2];
        float[] v = new float[2];
        zero.addNoise(x0, eps, new int[] {999}, noisy);
        zero.velocity(x0, eps, new int[] {999}, v);
        assertEquals(1f, noisy[0], 0f);
        assertEquals(3f, noisy[1], 0f);
        assertEquals(-0.5f, v[0], 0f);
        assertEquals(2f, v[1], 0f);
        assertEquals(1.0, zero.vWeight(999, 5), 1e-12);
    }

    @Test
    void vWeightCountsTheImpliedX0ErrorAsOnePlusSnrTruncatedAtGamma() {
        DiffusionSchedule zero = DiffusionSchedule.zeroTerminalSnr();
        for (int t = 0; t < DiffusionSchedule.TRAIN_STEPS; t++) {
            double snr = zero.snr(t);
            // |v - v_hat|^2 = (1 + SNR) |x0 - x0_hat|^2
            assertEquals(Math.min(1 + snr, 5), zero.vWeight(t, 5) * (1 + snr), 1e-9 * (1 + snr), "t=" + t);
        }
    }

    @Test
    void velocityIsConsistentWithTheNoisedSample() {
        // x0 = sqrt(abar) x_t - sqrt(1 - abar) v: the identity the v-prediction samplers use
        float[] x0 = {0.25f, -1.5f, 2f};
        float[] eps = {-0.7f, 0.1f, 1.2f};
        for (int t : new int[] {0, 400, 998}) {
            float[] noisy = new float[3];
            float[] v = new float[3];
            schedule.addNoise(x0, eps, new int[] {t}, noisy);
            schedule.velocity(x0, eps, new int[] {t}, v);
            double a = Math.sqrt(schedule.alphaCumprod(t));
            double s = Math.sqrt(1 - schedule.alphaCumprod(t));
            for (int i = 0; i < 3; i++) {
                assertEquals(x0[i], a * noisy[i] - s * v[i], 1e-5, "t=" + t);
            }
        }
    }
}
