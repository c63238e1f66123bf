package dev.osmosis.app.testing;

import dev.osmosis.engine.plugin.GenerationContext;
import dev.osmosis.engine.plugin.Plugin;
import dev.osmosis.engine.plugin.PluginFamily;
import dev.osmosis.engine.plugin.PluginSession;
import dev.osmosis.engine.plugin.PluginSettings;
import dev.osmosis.engine.plugin.SettingSpec;
import java.util.List;

/** A plugin with one setting of each kind, never opened (the fake engine only resolves it). */
public final class FakePlugin implements Plugin {
    private final String id;
    private final PluginFamily family;

    public FakePlugin(String id, PluginFamily family) {
        this.id = id;
        this.family = family;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String displayName() {
        return "Fake " + id;
    }

    @Override
    public String description() {
        return "A test plugin.";
    }

    @Override
    public PluginFamily family() {
        return family;
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.integer("interval", "Interval", 3, 1, 10, "cache every N steps"),
                SettingSpec.decimal("scale", "Scale", 0.5, 0, 1, "how much"),
                SettingSpec.bool("uniform", "Uniform", true, "evenly spaced"),
                SettingSpec.choice("mode", "Mode", "fast", List.of("fast", "exact"), "which path"),
                SettingSpec.file("map", "Map", "a condition map"));
    }

    @Override
    public PluginSession open(PluginSettings settings, GenerationContext context) {
        throw new UnsupportedOperationException("the fake engine never opens plugins");
    }
}
