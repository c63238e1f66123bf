package dev.osmosis.app.plugins;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.osmosis.app.store.SettingsStore;
import dev.osmosis.engine.pipeline.GenerationRequest.PluginRequest;
import dev.osmosis.engine.plugin.Plugin;
import dev.osmosis.engine.plugin.PluginRegistry;
import dev.osmosis.engine.plugin.PluginSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.IntegerBinding;
import javafx.beans.property.BooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The plugin panel: every plugin the engine's registry found (ServiceLoader), each with a switch
 * and its declared settings; the switched-on ones become the request's plugins. Switches and
 * values are remembered between runs.
 */
public final class PluginPanelViewModel {
    static final String SETTINGS_KEY = "plugins";

    private final SettingsStore settings;
    private final ObservableList<PluginState> plugins = FXCollections.observableArrayList(
            p -> new javafx.beans.Observable[] {p.enabledProperty()});
    private final IntegerBinding enabledCount;

    public PluginPanelViewModel(PluginRegistry registry, SettingsStore settings) {
        this.settings = settings;
        for (Plugin p : registry.all()) {
            plugins.add(new PluginState(p));
        }
        enabledCount = Bindings.createIntegerBinding(
                () -> (int) plugins.stream().filter(PluginState::isEnabled).count(), plugins);
        load();
        for (PluginState s : plugins) {
            s.enabledProperty().addListener((obs, o, n) -> save());
            s.values().addListener((javafx.collections.MapChangeListener<String, String>) c -> save());
        }
    }

    public ObservableList<PluginState> plugins() {
        return plugins;
    }

    public boolean isEmpty() {
        return plugins.isEmpty();
    }

    /** Plugins switched on (for the tab's badge). */
    public IntegerBinding enabledCountProperty() {
        return enabledCount;
    }

    public BooleanProperty enabledProperty(String id) {
        return state(id).enabledProperty();
    }

    public PluginState state(String id) {
        return plugins.stream().filter(s -> s.plugin().id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown plugin '" + id + "'"));
    }

    /** The switched-on plugins for a request; a bad setting fails here, naming plugin and setting. */
    public List<PluginRequest> requests() {
        List<PluginRequest> out = new ArrayList<>();
        for (PluginState s : plugins) {
            if (s.isEnabled()) {
                PluginSettings.of(s.plugin(), s.changedValues());
                out.add(new PluginRequest(s.plugin().id(), s.changedValues()));
            }
        }
        return out;
    }

    /**
     * Switches exactly the given plugins on with their settings (as restored from PNG parameters).
     * Returns the ids this studio does not have.
     */
    public List<String> apply(List<PluginRequest> requests) {
        List<String> unknown = new ArrayList<>();
        for (PluginState s : plugins) {
            s.enabledProperty().set(false);
        }
        for (PluginRequest r : requests) {
            PluginState s = plugins.stream().filter(p -> p.plugin().id().equals(r.id())).findFirst().orElse(null);
            if (s == null) {
                unknown.add(r.id());
                continue;
            }
            s.reset();
            r.settings().forEach((k, v) -> {
                try {
                    s.set(k, v);
                } catch (IllegalArgumentException e) {
                    unknown.add(r.id() + ":" + k);
                }
            });
            s.enabledProperty().set(true);
        }
        return unknown;
    }

    private void load() {
        Map<String, Map<String, Object>> saved = settings.getJson(SETTINGS_KEY,
                new TypeReference<Map<String, Map<String, Object>>>() {}).orElse(Map.of());
        for (PluginState s : plugins) {
            Map<String, Object> m = saved.get(s.plugin().id());
            if (m == null) {
                continue;
            }
            if (m.get("values") instanceof Map<?, ?> values) {
                values.forEach((k, v) -> {
                    try {
                        s.set(String.valueOf(k), String.valueOf(v));
                    } catch (IllegalArgumentException e) {
                        // a setting the plugin no longer has
                    }
                });
            }
            s.enabledProperty().set(Boolean.TRUE.equals(m.get("enabled")));
        }
    }

    private void save() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (PluginState s : plugins) {
            out.put(s.plugin().id(), Map.of("enabled", s.isEnabled(), "values", s.changedValues()));
        }
        try {
            settings.putJson(SETTINGS_KEY, out);
        } catch (RuntimeException e) {
            System.getLogger("osmosis.studio").log(System.Logger.Level.WARNING, "saving plugin settings", e);
        }
    }
}
