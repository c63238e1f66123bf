package dev.osmosis.engine.sched;

/**
 * Which training timesteps N sampling steps visit, out of T (Lin et al. 2023, "Common Diffusion
 * Noise Schedules and Sample Steps are Flawed", Table 2). Examples are for N = 4, T = 1000.
 */
public enum TimestepSpacing implements ConfigName {
    /** Every (T div N)-th step counted up from 0, plus steps_offset: 751, 501, 251, 1 (offset 1). */
    LEADING("leading"),
    /** N evenly spaced points from T-1 down to 0, fractional in general: 999, 666, 333, 0. */
    LINSPACE("linspace"),
    /**
     * Every (T/N)-th step counted down from T-1: 999, 749, 499, 249. Always N of them (numpy's
     * arange, which diffusers uses, gives N + 1 for some N, the last being -1).
     */
    TRAILING("trailing");

    private final String configName;

    TimestepSpacing(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static TimestepSpacing fromName(String name) {
        return ConfigName.parse(TimestepSpacing.class, name, "timestep_spacing");
    }

    /**
     * The {@code steps} timesteps in descending order. LEADING and TRAILING give whole numbers;
     * LINSPACE gives the exact points, which a sampler rounds if it wants integers.
     */
    public double[] timesteps(int trainSteps, int steps, int stepsOffset) {
        double[] t = new double[steps];
        for (int k = 0; k < steps; k++) {
            t[k] = switch (this) {
                case LEADING -> (double) (steps - 1 - k) * (trainSteps / steps) + stepsOffset;
                case LINSPACE -> linspace(0, trainSteps - 1, steps, steps - 1 - k);
                case TRAILING -> Math.rint(trainSteps - k * ((double) trainSteps / steps)) - 1;
            };
        }
        return t;
    }

    /** Whole timesteps, rounded half to even like numpy. */
    static float[] rounded(double[] timesteps) {
        float[] out = new float[timesteps.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.rint(timesteps[i]);
        }
        return out;
    }

    /** Timesteps as the float32 values the network is given. */
    static float[] asFloats(double[] timesteps) {
        float[] out = new float[timesteps.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) timesteps[i];
        }
        return out;
    }

    /** Point {@code i} of numpy.linspace(start, end, n): exact endpoints, i * step in between. */
    static double linspace(double start, double end, int n, int i) {
        if (n > 1 && i == n - 1) {
            return end;
        }
        return n > 1 ? start + i * ((end - start) / (n - 1)) : start;
    }
}
