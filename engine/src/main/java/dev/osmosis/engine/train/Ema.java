package dev.osmosis.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.osmosis.engine.nn.OwnedTensors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of the parameters, the weights a diffusion model ships with
 * (Ho et al. 2020 used decay 0.9999; a short run wants less). The decay ramps up as
 * min(decay, (1 + n) / (10 + n)) after n updates, as diffusers' EMAModel does, so the early
 * average is not dominated by the random initialisation.
 */
public final class Ema implements AutoCloseable {
    private final Parameters parameters;
    private final double decay;
    private final NDManager manager;
    private final Map<String, NDArray> shadow = new LinkedHashMap<>();
    private long updates;

    public Ema(Parameters parameters, double decay) {
        this.parameters = parameters;
        this.decay = decay;
        this.manager = NDManager.newBaseManager();
        for (Map.Entry<String, NDArray> e : parameters.arrays().entrySet()) {
            NDArray copy = e.getValue().duplicate();
            copy.attach(manager);
            NDScope.unregister(copy);
            shadow.put(e.getKey(), copy);
        }
    }

    /** The decay used for the next update. */
    public double currentDecay() {
        return Math.min(decay, (1.0 + updates) / (10.0 + updates));
    }

    /** shadow = d * shadow + (1 - d) * parameter, i.e. shadow -= (1 - d) * (shadow - parameter). */
    public void update() {
        float rate = (float) (1 - currentDecay());
        updates++;
        for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
            try (NDScope scope = new NDScope()) {
                NDArray s = e.getValue();
                s.subi(s.sub(parameters.get(e.getKey())).muli(rate));
            }
        }
    }

    public long updates() {
        return updates;
    }

    /** The averaged values by parameter name. */
    public Map<String, float[]> values() {
        Map<String, float[]> out = new LinkedHashMap<>();
        shadow.forEach((k, a) -> out.put(k, a.toFloatArray()));
        return out;
    }

    public void restore(Map<String, float[]> values, long updateCount, String source) {
        for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
            float[] data = values.get(e.getKey());
            if (data == null || data.length != e.getValue().size()) {
                throw new IllegalArgumentException(source + ": EMA value for '" + e.getKey()
                        + "' is missing or has the wrong size");
            }
            OwnedTensors.assign(e.getValue(), data);
        }
        this.updates = updateCount;
    }

    @Override
    public void close() {
        manager.close();
    }
}
