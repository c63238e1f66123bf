package dev.osmosis.app.prompt;

import dev.osmosis.engine.sched.Samplers;
import java.util.List;
import java.util.Map;

/** The engine's sampler names with the labels A1111 users know ("euler_a" is "Euler a"). */
public final class SamplerNames {
    private static final Map<String, String> LABELS = Map.of(
            "ddim", "DDIM",
            "pndm", "PLMS",
            "euler", "Euler",
            "euler_a", "Euler a",
            "heun", "Heun",
            "dpmpp_2m", "DPM++ 2M",
            "dpmpp_2m_karras", "DPM++ 2M Karras",
            "lcm", "LCM",
            "unipc", "UniPC");

    private SamplerNames() {}

    /** The engine's names, in its order. */
    public static List<String> all() {
        return Samplers.names();
    }

    public static String label(String name) {
        return name == null ? "" : LABELS.getOrDefault(name, name);
    }
}
