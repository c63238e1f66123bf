package dev.osmosis.engine.plugin;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A plugin's settings for one generation: every declared key, validated, defaults filled in. */
public final class PluginSettings {
    private final String pluginId;
    private final Map<String, String> values;

    private PluginSettings(String pluginId, Map<String, String> values) {
        this.pluginId = pluginId;
        this.values = values;
    }

    /**
     * Validates {@code given} against {@code plugin}'s declared settings. Unknown keys and bad values
     * fail with the plugin named and what is allowed.
     */
    public static PluginSettings of(Plugin plugin, Map<String, String> given) {
        Map<String, SettingSpec> specs = new LinkedHashMap<>();
        for (SettingSpec spec : plugin.settings()) {
            specs.put(spec.key(), spec);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (SettingSpec spec : specs.values()) {
            values.put(spec.key(), spec.defaultValue());
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            SettingSpec spec = specs.get(e.getKey());
            if (spec == null) {
                throw new IllegalArgumentException("plugin '" + plugin.id() + "' has no setting '" + e.getKey()
                        + "'; its settings are " + (specs.isEmpty() ? "none" : List.copyOf(specs.keySet())));
            }
            try {
                values.put(spec.key(), spec.validate(e.getValue()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("plugin '" + plugin.id() + "': " + ex.getMessage(), ex);
            }
        }
        return new PluginSettings(plugin.id(), Collections.unmodifiableMap(values));
    }

    public Map<String, String> asMap() {
        return values;
    }

    public String string(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("plugin '" + pluginId + "' declares no setting '" + key + "'");
        }
        return v;
    }

    public int integer(String key) {
        return (int) Long.parseLong(string(key));
    }

    public double decimal(String key) {
        return Double.parseDouble(string(key));
    }

    public boolean bool(String key) {
        return Boolean.parseBoolean(string(key));
    }

    /** A FILE setting, or null when left empty. */
    public Path path(String key) {
        String v = string(key);
        return v.isEmpty() ? null : Path.of(v);
    }
}
