package dev.osmosis.engine.train.ldm;

import dev.osmosis.engine.train.DiffusionSchedule;

/**
 * What the UNet is trained to predict, on which noise schedule, with which loss weight: the two
 * phases of the shapes recipe. Each maps to the scheduler_config.json entries a sampler needs.
 */
public enum Objective {
    /** Stable Diffusion 1.x: epsilon on the scaled-linear schedule, Min-SNR weights. */
    EPSILON("epsilon", false, DiffusionSchedule.stableDiffusion()),
    /** SD 2.x's v-prediction on the zero-terminal-SNR schedule, so that layout follows the prompt. */
    V_ZERO_TERMINAL_SNR("v_prediction", true, DiffusionSchedule.zeroTerminalSnr());

    /** The scheduler_config.json prediction_type. */
    public final String predictionType;
    /** The scheduler_config.json rescale_betas_zero_snr. */
    public final boolean rescaleBetasZeroSnr;
    private final DiffusionSchedule schedule;

    Objective(String predictionType, boolean rescaleBetasZeroSnr, DiffusionSchedule schedule) {
        this.predictionType = predictionType;
        this.rescaleBetasZeroSnr = rescaleBetasZeroSnr;
        this.schedule = schedule;
    }

    public DiffusionSchedule schedule() {
        return schedule;
    }

    /** The regression target for x_t made of {@code x0} and {@code eps}, into {@code out}. */
    void target(float[] x0, float[] eps, int[] timesteps, float[] out) {
        if (this == EPSILON) {
            System.arraycopy(eps, 0, out, 0, eps.length);
        } else {
            schedule.velocity(x0, eps, timesteps, out);
        }
    }

    double weight(int t, double gamma) {
        return this == EPSILON ? schedule.minSnrWeight(t, gamma) : schedule.vWeight(t, gamma);
    }
}
