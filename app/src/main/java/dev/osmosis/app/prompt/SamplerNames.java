package dev.osmosis.app.prompt;

import dev.osmosis.engine.pipeline.Infotext;
import dev.osmosis.engine.sched.Samplers;
import java.util.List;

/** The engine's sampler names with the labels A1111 users know ("euler_a" is "Euler a"). */
public final class SamplerNames {
    private SamplerNames() {}

    /** The engine's names, in its order. */
    public static List<String> all() {
        return Samplers.names();
    }

    public static String label(String name) {
        return name == null || !Samplers.names().contains(name) ? (name == null ? "" : name)
                : Infotext.samplerLabel(name);
    }
}
