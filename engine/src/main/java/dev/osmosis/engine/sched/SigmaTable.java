package dev.osmosis.engine.sched;

/**
 * The timestep the network is given at each call, and the sigma of each call plus the final
 * level (so {@code sigmas.length == timesteps.length + 1}).
 */
record SigmaTable(float[] timesteps, float[] sigmas) {

    /** Where the last step ends (diffusers' final_sigmas_type). */
    enum FinalSigma {
        /** Fully denoised. */
        ZERO,
        /** At the smallest training level, sigma of timestep 0 (UniPC). */
        SIGMA_MIN
    }

    /** sigma interpolated at the given timesteps, ending at sigma = 0. */
    static SigmaTable interpolated(SchedulerConfig config, float[] timesteps) {
        return interpolated(config, timesteps, FinalSigma.ZERO);
    }

    static SigmaTable interpolated(SchedulerConfig config, float[] timesteps, FinalSigma end) {
        float[] trainSigmas = Sigmas.ofTrainingSteps(NoiseSchedule.alphasCumprod(config));
        double last = end == FinalSigma.ZERO ? 0 : trainSigmas[0];
        return new SigmaTable(timesteps, Sigmas.appended(Sigmas.atTimesteps(trainSigmas, timesteps), last));
    }

    /** Karras et al.'s rho-spaced sigmas between the schedule's extremes, at the nearest whole timesteps. */
    static SigmaTable karras(SchedulerConfig config, int steps) {
        float[] trainSigmas = Sigmas.ofTrainingSteps(NoiseSchedule.alphasCumprod(config));
        float[] logSigmas = Sigmas.log(trainSigmas);
        double[] sigmas = Sigmas.karras(trainSigmas[0], trainSigmas[trainSigmas.length - 1], steps);
        float[] timesteps = new float[steps];
        for (int i = 0; i < steps; i++) {
            timesteps[i] = (float) Math.rint(Sigmas.timestepOf(sigmas[i], logSigmas));
        }
        return new SigmaTable(timesteps, Sigmas.appended(sigmas, 0));
    }
}
