package dev.osmosis.engine.sched;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The sampler registry: every {@link Scheduler} is made here, by name. */
public final class Samplers {
    public static final int MAX_STEPS = 1000;

    @FunctionalInterface
    private interface Factory {
        Scheduler create(SchedulerConfig config, int steps);
    }

    private static final Map<String, Factory> FACTORIES = registry();

    private Samplers() {}

    private static Map<String, Factory> registry() {
        Map<String, Factory> factories = new LinkedHashMap<>();
        factories.put("ddim", DdimSampler::new);
        factories.put("pndm", PndmSampler::new);
        factories.put("euler", EulerSampler::new);
        factories.put("euler_a", EulerAncestralSampler::new);
        factories.put("heun", HeunSampler::new);
        factories.put("dpmpp_2m", (config, steps) -> new DpmPlusPlus2MSampler(config, steps, false));
        factories.put("dpmpp_2m_karras", (config, steps) -> new DpmPlusPlus2MSampler(config, steps, true));
        factories.put("lcm", LcmSampler::new);
        factories.put("unipc", UniPcSampler::new);
        return Collections.unmodifiableMap(factories);
    }

    /** The sampler {@code name} for {@code steps} denoising steps (model calls: see its timesteps()). */
    public static Scheduler create(String name, SchedulerConfig config, int steps) {
        Factory factory = name == null ? null : FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown sampler '" + name + "'; choose one of " + names());
        }
        Objects.requireNonNull(config, "config");
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("steps must be between 1 and " + MAX_STEPS + ", got " + steps);
        }
        if (steps > config.numTrainTimesteps()) {
            throw new IllegalArgumentException("steps (" + steps + ") cannot exceed num_train_timesteps ("
                    + config.numTrainTimesteps() + ")");
        }
        return factory.create(config, steps);
    }

    /** The sampler names, in registry order. */
    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }
}
