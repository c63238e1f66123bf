package dev.osmosis.engine.plugin;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.plugin.PluginRegistry.ResolvedPlugin;
import dev.osmosis.engine.unet.UNetPlan;
import dev.osmosis.engine.unet.UNetResiduals;
import java.util.ArrayList;
import java.util.List;

/**
 * The sessions of one generation, composed in family order: residuals of all conditions add up; the
 * plans of all accelerators combine so that a part is reused only if every accelerator agrees; the
 * first UNet call always runs in full so that the feature cache is filled.
 */
public final class ActivePlugins implements AutoCloseable {
    private final List<ResolvedPlugin> plugins;
    private final List<PluginSession> sessions;

    private ActivePlugins(List<ResolvedPlugin> plugins, List<PluginSession> sessions) {
        this.plugins = plugins;
        this.sessions = sessions;
    }

    public static ActivePlugins none() {
        return new ActivePlugins(List.of(), List.of());
    }

    /** Opens every session; if one fails, those already open are closed. */
    public static ActivePlugins open(List<ResolvedPlugin> plugins, GenerationContext context) {
        List<PluginSession> sessions = new ArrayList<>();
        try {
            for (ResolvedPlugin p : plugins) {
                sessions.add(p.plugin().open(p.settings(), context));
            }
        } catch (RuntimeException e) {
            sessions.forEach(PluginSession::close);
            throw e;
        }
        return new ActivePlugins(List.copyOf(plugins), sessions);
    }

    public boolean isEmpty() {
        return sessions.isEmpty();
    }

    /** Whether some session may ask to reuse UNet features (then a feature cache is kept). */
    public boolean hasAccelerator() {
        return plugins.stream().anyMatch(p -> p.plugin().family() == PluginFamily.ACCELERATOR);
    }

    public UNetResiduals residuals(StepContext step, int skipCount) {
        UNetResiduals total = null;
        for (PluginSession s : sessions) {
            UNetResiduals r = s.residuals(step);
            if (r != null) {
                total = (total == null ? new UNetResiduals(skipCount) : total).add(r, 1f);
            }
        }
        return total;
    }

    public UNetPlan plan(StepContext step) {
        if (step.index() == 0) {
            return UNetPlan.FULL;
        }
        UNetPlan plan = null;
        for (PluginSession s : sessions) {
            UNetPlan p = s.plan(step);
            plan = plan == null ? p : plan.and(p);
        }
        return plan == null ? UNetPlan.FULL : plan;
    }

    public NDArray beforeStep(int index, float timestep, NDArray latents) {
        NDArray x = latents;
        for (PluginSession s : sessions) {
            x = s.beforeStep(index, timestep, x);
        }
        return x;
    }

    /** "deepcache: 7 of 20 UNet calls shallow", one per plugin. */
    public List<String> reports() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            out.add(plugins.get(i).plugin().id() + ": " + sessions.get(i).report());
        }
        return out;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (PluginSession s : sessions) {
            try {
                s.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
