package dev.osmosis.engine.sched;

/** How the training betas grow from beta_start to beta_end (diffusers' beta_schedule). */
public enum BetaSchedule implements ConfigName {
    /** Evenly spaced betas (the original DDPM). */
    LINEAR("linear"),
    /** Evenly spaced square roots of beta, squared: the schedule of Stable Diffusion. */
    SCALED_LINEAR("scaled_linear"),
    /** The cosine alpha-bar schedule of Nichol & Dhariwal 2021 (ignores beta_start/beta_end). */
    SQUAREDCOS_CAP_V2("squaredcos_cap_v2");

    private final String configName;

    BetaSchedule(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static BetaSchedule fromName(String name) {
        return ConfigName.parse(BetaSchedule.class, name, "beta_schedule");
    }
}
