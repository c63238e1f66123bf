package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.io.ModelFormatException;
import dev.osmosis.engine.io.SafetensorsFile;
import dev.osmosis.engine.io.TensorInfo;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The parameters of one model as float32 NDArrays, keyed by the diffusers checkpoint names
 * ({@code down_blocks.0.attentions.1.proj_in.weight}). Modules take a {@link #sub} view so their
 * field names mirror the keys. Missing or mis-shaped tensors fail with the source file named.
 */
public final class Weights {
    /** Makes the tensors a module asks for, for models built without a checkpoint (benchmarks, training). */
    public interface Generator {
        NDArray create(String key, long[] shape);

        boolean has(String key);
    }

    private final String source;
    private final String prefix;
    private final Map<String, NDArray> arrays;
    private final Generator generator;

    private Weights(String source, String prefix, Map<String, NDArray> arrays, Generator generator) {
        this.source = source;
        this.prefix = prefix;
        this.arrays = arrays;
        this.generator = generator;
    }

    /** Weights created on first request by {@code generator}, then kept (so shared tensors stay shared). */
    public static Weights generated(String source, Generator generator) {
        return new Weights(source, "", new LinkedHashMap<>(), generator);
    }

    public static Weights of(String source, Map<String, NDArray> arrays) {
        return new Weights(source, "", arrays, null);
    }

    /** Loads every float tensor of a safetensors file into {@code manager} under its own name. */
    public static Weights load(Path file, NDManager manager) {
        return load(file, manager, UnaryOperator.identity());
    }

    /**
     * Loads the float tensors of a file, renaming each with {@code rename}; a rename to null drops
     * the tensor (keys of other components in a single-file checkpoint).
     */
    public static Weights load(Path file, NDManager manager, UnaryOperator<String> rename) {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            for (TensorInfo info : st.tensors().values()) {
                String key = rename.apply(info.name());
                if (key == null || !info.dtype().isFloat()) {
                    continue;
                }
                arrays.put(key, toArray(manager, st.floats(info.name()), info.shape()));
            }
            return new Weights(file.toString(), "", arrays, null);
        }
    }

    public static NDArray toArray(NDManager manager, float[] data, long[] shape) {
        return OwnedTensors.of(manager, data, shape);
    }

    public Weights sub(String name) {
        return new Weights(source, prefix + name + ".", arrays, generator);
    }

    public Weights sub(String name, int index) {
        return sub(name + "." + index);
    }

    public boolean has(String key) {
        return arrays.containsKey(prefix + key) || generator != null && generator.has(prefix + key);
    }

    public NDArray get(String key) {
        NDArray a = arrays.get(prefix + key);
        if (a == null) {
            throw new ModelFormatException(source + ": missing tensor '" + prefix + key + "'");
        }
        return a;
    }

    /** A tensor that must have exactly this shape. */
    public NDArray get(String key, long... shape) {
        if (generator != null && !arrays.containsKey(prefix + key)) {
            arrays.put(prefix + key, generator.create(prefix + key, shape));
        }
        NDArray a = get(key);
        if (!Arrays.equals(a.getShape().getShape(), shape)) {
            throw new ModelFormatException(source + ": tensor '" + prefix + key + "' has shape "
                    + a.getShape() + ", expected " + new Shape(shape));
        }
        return a;
    }

    public long[] shape(String key) {
        return get(key).getShape().getShape();
    }

    public Set<String> keys() {
        return arrays.keySet();
    }

    public String source() {
        return source;
    }

    public String prefix() {
        return prefix;
    }
}
