package dev.osmosis.engine.sched;

import static dev.osmosis.engine.sched.TestTensors.pattern;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/**
 * A v-prediction model on the schedule rescaled to zero terminal SNR (how the embedded model is
 * trained) must sample with every sampler: the first step has abar = 0 (sigma = infinity, clamped
 * as diffusers does). Driven by the exact v of a known x0, every sampler must land on x0; PNDM,
 * whose update divides by sqrt(abar), must refuse.
 */
class ZeroTerminalSnrSamplingTest {
    private static final SchedulerConfig ZERO_SNR_V = SchedulerConfig.stableDiffusion()
            .withPredictionType("v_prediction").withRescaleBetasZeroSnr(true).withTimestepSpacing("trailing");

    @Test
    void anExactVModelBringsEverySamplerToItsImage() {
        float[] abar = ZERO_SNR_V.alphasCumprod();
        for (String name : Samplers.names()) {
            if (name.equals("pndm")) {
                continue;
            }
            int steps = name.equals("lcm") ? 8 : 20;
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray x0 = pattern(manager, 0.37).mul(0.8);
                Scheduler sampler = Samplers.create(name, ZERO_SNR_V, steps);
                NoiseSource noise = like -> pattern(manager, 0.11 + 0.01 * like.getShape().size() % 7);
                NDArray x = pattern(manager, 0.23).mul(sampler.initNoiseSigma());
                float[] timesteps = sampler.timesteps();
                for (int i = 0; i < timesteps.length; i++) {
                    NDArray input = sampler.scaleModelInput(x, i);
                    double a = abarAt(abar, timesteps[i]);
                    // x0 = sqrt(abar) x_t - sqrt(1 - abar) v  =>  v = (sqrt(abar) x_t - x0) / sqrt(1 - abar)
                    NDArray v = input.mul(Math.sqrt(a)).sub(x0).div(Math.sqrt(1 - a));
                    x = sampler.step(v, i, x, noise);
                }
                float[] out = x.toFloatArray();
                float[] want = x0.toFloatArray();
                double worst = 0;
                for (int k = 0; k < out.length; k++) {
                    assertTrue(Float.isFinite(out[k]), name + ": not finite");
                    worst = Math.max(worst, Math.abs(out[k] - want[k]));
                }
                // DDIM and UniPC stop at abar_0 = 0.99915 (set_alpha_to_one false): 0.03 of noise is left
                assertTrue(worst < 0.05, name + ": ends " + worst + " from the image");
            }
        }
    }

    @Test
    void pndmRefusesWithTheReasonInsteadOfReturningInfinities() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Samplers.create("pndm", ZERO_SNR_V, 20));
        assertTrue(e.getMessage().contains("pndm") && e.getMessage().contains("zero terminal SNR"), e.getMessage());
    }

    /** abar at a possibly fractional timestep, linear between training steps. */
    private static double abarAt(float[] abar, float t) {
        int low = (int) Math.floor(t);
        int high = Math.min(low + 1, abar.length - 1);
        return abar[low] + (abar[high] - abar[low]) * (t - low);
    }
}
