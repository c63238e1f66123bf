package dev.osmosis.engine.plugin;

import java.util.List;

/**
 * A switchable ability of the engine, discovered with {@link java.util.ServiceLoader} (list the
 * class in META-INF/services/dev.osmosis.engine.plugin.Plugin). A plugin is stateless: everything
 * one generation needs lives in the {@link PluginSession} it opens.
 */
public interface Plugin {
    /** The name used on the command line and in PNG parameters: lower case, e.g. "deepcache". */
    String id();

    String displayName();

    /** One or two sentences for the studio's panel, naming the paper where there is one. */
    String description();

    PluginFamily family();

    /** The settings, in the order the studio shows them. */
    List<SettingSpec> settings();

    /** Starts this plugin's part in one generation. */
    PluginSession open(PluginSettings settings, GenerationContext context);
}
