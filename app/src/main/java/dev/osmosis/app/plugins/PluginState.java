package dev.osmosis.app.plugins;

import dev.osmosis.engine.plugin.Plugin;
import dev.osmosis.engine.plugin.SettingSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;

/**
 * One plugin in the panel: its switch, its settings as text (as the CLI and PNG parameters write
 * them), and the problem of each setting whose text is not valid.
 */
public final class PluginState {
    private final Plugin plugin;
    private final BooleanProperty enabled = new SimpleBooleanProperty(false);
    private final ObservableMap<String, String> values = FXCollections.observableMap(new LinkedHashMap<>());
    private final ObservableMap<String, String> problems = FXCollections.observableHashMap();

    PluginState(Plugin plugin) {
        this.plugin = plugin;
        for (SettingSpec s : plugin.settings()) {
            values.put(s.key(), s.defaultValue());
        }
    }

    public Plugin plugin() {
        return plugin;
    }

    public BooleanProperty enabledProperty() {
        return enabled;
    }

    public boolean isEnabled() {
        return enabled.get();
    }

    /** Setting key -> value text. */
    public ObservableMap<String, String> values() {
        return values;
    }

    /** Setting key -> why its value is not valid (absent when valid). */
    public ObservableMap<String, String> problems() {
        return problems;
    }

    /** Sets a value, checked against its spec; a bad value is kept (so the person can fix it) and flagged. */
    public void set(String key, String value) {
        SettingSpec spec = spec(key);
        values.put(key, value == null ? "" : value);
        try {
            spec.validate(value == null ? "" : value);
            problems.remove(key);
        } catch (IllegalArgumentException e) {
            problems.put(key, e.getMessage());
        }
    }

    public SettingSpec spec(String key) {
        return plugin.settings().stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("plugin '" + plugin.id() + "' has no setting '" + key + "'"));
    }

    /** The values that differ from their defaults (what goes into the request and PNG parameters). */
    public Map<String, String> changedValues() {
        Map<String, String> out = new LinkedHashMap<>();
        for (SettingSpec s : plugin.settings()) {
            String v = values.get(s.key());
            if (v != null && !v.strip().equals(s.defaultValue())) {
                out.put(s.key(), v.strip());
            }
        }
        return out;
    }

    public void reset() {
        for (SettingSpec s : plugin.settings()) {
            values.put(s.key(), s.defaultValue());
        }
        problems.clear();
    }
}
