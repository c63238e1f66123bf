package dev.osmosis.engine.pipeline;

import dev.osmosis.engine.pipeline.GenerationRequest.PluginRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one text syntax for a plugin and its settings, used by the CLI and in PNG parameters:
 * {@code id} or {@code id:key=value,key=value}. Whether the id and settings exist is checked by the
 * plugin registry; this only splits the text.
 */
public final class PluginSpec {
    private PluginSpec() {}

    public static PluginRequest parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        int colon = s.indexOf(':');
        String id = (colon < 0 ? s : s.substring(0, colon)).strip();
        if (!id.matches("[A-Za-z][A-Za-z0-9_\\-]*")) {
            throw new IllegalArgumentException("plugin '" + spec + "': expected NAME or NAME:key=value,key=value");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (colon >= 0 && !s.substring(colon + 1).isBlank()) {
            for (String pair : s.substring(colon + 1).split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw new IllegalArgumentException("plugin '" + spec + "': setting '" + pair.strip()
                            + "' must be key=value");
                }
                String key = pair.substring(0, eq).strip();
                if (settings.put(key, pair.substring(eq + 1).strip()) != null) {
                    throw new IllegalArgumentException("plugin '" + spec + "': setting '" + key + "' given twice");
                }
            }
        }
        return new PluginRequest(id, settings);
    }

    public static String format(PluginRequest p) {
        if (p.settings().isEmpty()) {
            return p.id();
        }
        return p.id() + ":" + p.settings().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
