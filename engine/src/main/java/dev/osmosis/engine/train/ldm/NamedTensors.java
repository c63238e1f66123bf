package dev.osmosis.engine.train.ldm;

import dev.osmosis.engine.io.SafetensorsWriter;
import dev.osmosis.engine.train.Parameters;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Values by checkpoint name with their shapes: a model's weights on the Java side, ready to write. */
record NamedTensors(Map<String, long[]> shapes, Map<String, float[]> values) {

    /** The tensors of {@code parameters} whose names start with {@code prefix}, the prefix dropped. */
    static NamedTensors of(Parameters parameters, Map<String, float[]> values, String prefix) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> picked = new LinkedHashMap<>();
        parameters.arrays().forEach((name, array) -> {
            if (name.startsWith(prefix)) {
                String key = name.substring(prefix.length());
                shapes.put(key, array.getShape().getShape());
                picked.put(key, values.get(name));
            }
        });
        return new NamedTensors(shapes, picked);
    }

    long count() {
        return values.values().stream().mapToLong(v -> v.length).sum();
    }

    /** Float16 safetensors, as diffusers' fp16 variants store weights. */
    void writeF16(Path file, Map<String, String> metadata) {
        SafetensorsWriter writer = SafetensorsWriter.create();
        shapes.forEach((name, shape) -> {
            float[] v = values.get(name);
            for (float x : v) {
                if (!(Math.abs(x) <= 65504f)) {
                    throw new IllegalStateException(name + " holds " + x + ", which float16 cannot store");
                }
            }
            writer.putF16(name, shape, v);
        });
        metadata.forEach(writer::metadata);
        writer.write(file);
    }
}
