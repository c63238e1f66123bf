package dev.osmosis.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.osmosis.engine.nn.OwnedTensors;
import dev.osmosis.engine.nn.Weights;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trainable tensors of one model, by their diffusers/transformers checkpoint names, in a fixed
 * order. They are the very arrays the modules hold (built from {@link Weights}), so updating them in
 * place updates the model.
 */
public final class Parameters {
    private final Map<String, NDArray> arrays;

    private Parameters(Map<String, NDArray> arrays) {
        this.arrays = Collections.unmodifiableMap(arrays);
    }

    /** Every tensor a model built from {@code weights} asked for. */
    public static Parameters of(Weights weights) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (String key : weights.keys()) {
            NDArray a = weights.get(key);
            // weights outlive every step scope: they belong to their manager alone
            NDScope.unregister(a);
            arrays.put(key, a);
        }
        return new Parameters(arrays);
    }

    /** Several models trained together (text encoder and UNet), names prefixed to stay unique. */
    public static Parameters join(Map<String, Parameters> parts) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        parts.forEach((prefix, p) -> p.arrays.forEach((k, v) -> arrays.put(prefix + k, v)));
        return new Parameters(arrays);
    }

    public Map<String, NDArray> arrays() {
        return arrays;
    }

    public NDArray get(String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'");
        }
        return a;
    }

    public int size() {
        return arrays.size();
    }

    /** Number of scalar parameters. */
    public long count() {
        return arrays.values().stream().mapToLong(NDArray::size).sum();
    }

    /** Switches gradient recording on (training) or off (export, evaluation) for every tensor. */
    public void requireGradients(boolean on) {
        arrays.values().forEach(a -> a.setRequiresGradient(on));
    }

    /** Overwrites the values of every tensor from {@code values}, which must hold each name with its size. */
    public void load(Map<String, float[]> values, String source) {
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            float[] v = values.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException(source + ": no values for parameter '" + e.getKey() + "'");
            }
            if (v.length != e.getValue().size()) {
                throw new IllegalArgumentException(source + ": parameter '" + e.getKey() + "' has " + v.length
                        + " values, the model needs " + e.getValue().size());
            }
            OwnedTensors.assign(e.getValue(), v);
        }
    }

    /** A copy of every tensor's values, in order. */
    public Map<String, float[]> values() {
        Map<String, float[]> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }
}
