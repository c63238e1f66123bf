package dev.osmosis.plugins.cache;

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
 * DeepCache (Ma, Fang and Wang 2023, arXiv 2312.00858): the UNet's deep features change little from
 * one step to the next, so on most calls only the shallow branch runs (conv_in, the down layers up
 * to skip {@code branch} and the up layers that consume those skips) and the deep path's output is
 * reused from the last full call.
 */
public final class DeepCachePlugin implements Plugin {
    @Override
    public String id() {
        return "deepcache";
    }

    @Override
    public String displayName() {
        return "DeepCache";
    }

    @Override
    public String description() {
        return "Reuses the UNet's deep features between steps and recomputes only a shallow branch"
                + " (Ma et al. 2023). Interval 3 runs about a third of the calls in full.";
    }

    @Override
    public PluginFamily family() {
        return PluginFamily.ACCELERATOR;
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.integer("interval", "Cache interval", 3, 1, 50,
                        "A full UNet call every N calls; the calls between reuse its deep features"),
                SettingSpec.integer("branch", "Cache branch", 0, 0, 11,
                        "The deepest skip connection still recomputed (0 = only conv_in's): higher is slower"
                                + " and closer to the original"),
                SettingSpec.choice("schedule", "Schedule", "uniform", List.of("uniform", "non_uniform"),
                        "uniform: every N-th call in full; non_uniform: full calls packed around the centre"),
                SettingSpec.decimal("center", "Centre", 0.3, 0.0, 1.0,
                        "non_uniform: where full calls are densest, as a fraction of the steps"),
                SettingSpec.decimal("power", "Power", 1.4, 1.05, 3.0,
                        "non_uniform: how strongly full calls gather at the centre"));
    }

    @Override
    public PluginSession open(PluginSettings settings, GenerationContext context) {
        int interval = settings.integer("interval");
        int branch = settings.integer("branch");
        int skips = context.model().unet().skipCount();
        if (branch >= skips) {
            throw new IllegalArgumentException("plugin 'deepcache': setting 'branch' = " + branch
                    + " is not valid for this model: expected 0 to " + (skips - 1));
        }
        int calls = context.modelCalls();
        BitSet full = settings.string("schedule").equals("uniform")
                ? FullStepSchedule.uniform(calls, interval)
                : FullStepSchedule.nonUniform(calls, interval, settings.decimal("center"), settings.decimal("power"));
        return new Session(full, branch, calls);
    }

    private static final class Session implements PluginSession {
        private final BitSet full;
        private final UNetPlan shallow;
        private final int calls;
        private int shallowCalls;

        Session(BitSet full, int branch, int calls) {
            this.full = full;
            this.shallow = UNetPlan.shallow(branch);
            this.calls = calls;
        }

        @Override
        public UNetPlan plan(StepContext step) {
            if (full.get(step.index())) {
                return UNetPlan.FULL;
            }
            shallowCalls++;
            return shallow;
        }

        @Override
        public String report() {
            return shallowCalls + " of " + calls + " UNet calls shallow (full at " + full + ")";
        }
    }
}
