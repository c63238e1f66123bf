package dev.osmosis.engine.plugin;

import dev.osmosis.engine.pipeline.GenerationRequest.PluginRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The plugins on the class path, by id. */
public final class PluginRegistry {
    private final Map<String, Plugin> plugins;

    public PluginRegistry(List<Plugin> plugins) {
        Map<String, Plugin> byId = new LinkedHashMap<>();
        for (Plugin p : plugins) {
            Plugin clash = byId.put(p.id(), p);
            if (clash != null) {
                throw new IllegalStateException("two plugins claim the id '" + p.id() + "': "
                        + clash.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        this.plugins = Collections.unmodifiableMap(byId);
    }

    /** Every plugin that {@link ServiceLoader} finds, sorted by family then id. */
    public static PluginRegistry discover() {
        List<Plugin> found = new ArrayList<>();
        ServiceLoader.load(Plugin.class).forEach(found::add);
        found.sort(Comparator.comparing(Plugin::family).thenComparing(Plugin::id));
        return new PluginRegistry(found);
    }

    public List<Plugin> all() {
        return List.copyOf(plugins.values());
    }

    public Plugin get(String id) {
        Plugin p = plugins.get(id);
        if (p == null) {
            throw new IllegalArgumentException("unknown plugin '" + id + "'; available: "
                    + (plugins.isEmpty() ? "none (no plugin jar on the class path)" : List.copyOf(plugins.keySet())));
        }
        return p;
    }

    /** Checks every requested plugin and its settings before anything runs. */
    public List<ResolvedPlugin> resolve(List<PluginRequest> requests) {
        List<ResolvedPlugin> resolved = new ArrayList<>();
        for (PluginRequest r : requests) {
            Plugin p = get(r.id());
            if (resolved.stream().anyMatch(x -> x.plugin() == p)) {
                throw new IllegalArgumentException("plugin '" + r.id() + "' is given twice");
            }
            resolved.add(new ResolvedPlugin(p, PluginSettings.of(p, r.settings())));
        }
        // membranes, then conditions, then accelerators; request order within a family
        resolved.sort(Comparator.comparing(x -> x.plugin().family()));
        return resolved;
    }

    public record ResolvedPlugin(Plugin plugin, PluginSettings settings) {}
}
