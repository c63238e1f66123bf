package dev.osmosis.plugins.cache;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.osmosis.engine.plugin.GenerationContext;
import dev.osmosis.engine.plugin.Plugin;
import dev.osmosis.engine.plugin.PluginFamily;
import dev.osmosis.engine.plugin.PluginSession;
import dev.osmosis.engine.plugin.PluginSettings;
import dev.osmosis.engine.plugin.SettingSpec;
import dev.osmosis.engine.plugin.StepContext;
import dev.osmosis.engine.unet.UNetPlan;
import java.util.BitSet;
import java.util.List;

/**
 * Faster Diffusion's encoder propagation (Li et al. 2023, arXiv 2312.09608): the UNet encoder's
 * features barely change between steps while the decoder's do, so the encoder (down blocks and mid
 * block) runs only at key steps and the decoder reuses its last features at the others. Optional
 * prior noise injection adds a little of the initial noise back in the second half of sampling
 * (t &lt; T/2) to keep texture, as the authors do. The paper also batches the decoders of several
 * non-key steps into one call; that only pays on a GPU and needs the loop's look-ahead, so it is not
 * done here.
 */
public final class FasterDiffusionPlugin implements Plugin {
    /** The paper's key steps for 50 DDIM steps (0, 1, 2, 3, 5, 10, 15, 25, 35), as fractions of the steps. */
    private static final double[] PAPER_KEY_STEPS = {0, 0.02, 0.04, 0.06, 0.10, 0.20, 0.30, 0.50, 0.70};
    private static final float TRAIN_TIMESTEPS = 1000;

    @Override
    public String id() {
        return "fasterdiffusion";
    }

    @Override
    public String displayName() {
        return "Faster Diffusion";
    }

    @Override
    public String description() {
        return "Runs the UNet encoder only at key steps and reuses its features elsewhere; the decoder"
                + " runs every step (Li et al. 2023).";
    }

    @Override
    public PluginFamily family() {
        return PluginFamily.ACCELERATOR;
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.choice("key_steps", "Key steps", "paper", List.of("paper", "uniform"),
                        "paper: dense early, sparse late (the paper's schedule scaled to the step count);"
                                + " uniform: every N-th step"),
                SettingSpec.integer("interval", "Interval", 2, 1, 50, "uniform: a key step every N steps"),
                SettingSpec.decimal("prior_noise", "Prior noise", 0.003, 0.0, 0.1,
                        "Weight of the initial noise added back to the latents once t < T/2 (0 = off)"));
    }

    @Override
    public PluginSession open(PluginSettings settings, GenerationContext context) {
        int calls = context.modelCalls();
        BitSet keys = settings.string("key_steps").equals("paper") ? paperKeySteps(calls)
                : FullStepSchedule.uniform(calls, settings.integer("interval"));
        return new Session(keys, calls, (float) settings.decimal("prior_noise"), context);
    }

    static BitSet paperKeySteps(int calls) {
        BitSet keys = new BitSet(calls);
        for (double f : PAPER_KEY_STEPS) {
            keys.set((int) Math.round(f * calls));
        }
        return keys;
    }

    private static final class Session implements PluginSession {
        private final BitSet keys;
        private final int calls;
        private final float priorNoise;
        private final GenerationContext context;
        private NDArray initial;
        private int reused;

        Session(BitSet keys, int calls, float priorNoise, GenerationContext context) {
            this.keys = keys;
            this.calls = calls;
            this.priorNoise = priorNoise;
            this.context = context;
        }

        @Override
        public NDArray beforeStep(int index, float timestep, NDArray latents) {
            if (index == 0 && priorNoise > 0) {
                initial = latents.duplicate();
                initial.attach(context.manager());
                NDScope.unregister(initial);
            }
            if (initial != null && timestep / TRAIN_TIMESTEPS < 0.5f) {
                return latents.add(initial.mul(priorNoise));
            }
            return latents;
        }

        @Override
        public UNetPlan plan(StepContext step) {
            if (keys.get(step.index())) {
                return UNetPlan.FULL;
            }
            reused++;
            return UNetPlan.decoderOnly();
        }

        @Override
        public String report() {
            return reused + " of " + calls + " UNet calls reused the encoder (key steps " + keys + ")"
                    + (priorNoise > 0 ? ", prior noise " + priorNoise : "");
        }

        @Override
        public void close() {
            if (initial != null) {
                initial.close();
            }
        }
    }
}
