package dev.osmosis.engine.train;

import dev.osmosis.engine.io.SafetensorsFile;
import dev.osmosis.engine.io.SafetensorsWriter;
import dev.osmosis.engine.io.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a training run needs to continue exactly where it stopped, in one safetensors file
 * written atomically (a crash mid-write leaves the previous checkpoint intact): the parameters,
 * AdamW's moments, the EMA, and the step counters. Randomness is a pure function of (seed, step),
 * so no generator state is stored.
 *
 * <pre>
 *   param/NAME  adam.m/NAME  adam.v/NAME  ema/NAME      float32 tensors
 *   __metadata__: stage, step, adam_steps, ema_updates, elapsed_seconds, + caller's entries
 * </pre>
 */
public final class TrainingCheckpoint {
    private static final String PARAM = "param/";
    private static final String ADAM_M = "adam.m/";
    private static final String ADAM_V = "adam.v/";
    private static final String EMA = "ema/";

    /** What a checkpoint says about the run besides the tensors. */
    public record Info(String stage, long step, double elapsedSeconds, Map<String, String> metadata) {}

    private TrainingCheckpoint() {}

    /**
     * @param ema may be null for stages that keep no average
     * @param extra run facts to keep (recipe, last loss), written as metadata
     */
    public static void save(Path file, String stage, long step, double elapsedSeconds, Parameters parameters,
            AdamW optimizer, Ema ema, Map<String, String> extra) {
        SafetensorsWriter writer = SafetensorsWriter.create();
        Map<String, float[]> m = optimizer.state("m");
        Map<String, float[]> v = optimizer.state("v");
        Map<String, float[]> averaged = ema == null ? Map.of() : ema.values();
        parameters.arrays().forEach((name, array) -> {
            long[] shape = array.getShape().getShape();
            writer.put(PARAM + name, shape, array.toFloatArray());
            writer.put(ADAM_M + name, shape, m.get(name));
            writer.put(ADAM_V + name, shape, v.get(name));
            if (ema != null) {
                writer.put(EMA + name, shape, averaged.get(name));
            }
        });
        writer.metadata("stage", stage).metadata("step", Long.toString(step))
                .metadata("adam_steps", Long.toString(optimizer.stepCount()))
                .metadata("ema_updates", Long.toString(ema == null ? 0 : ema.updates()))
                .metadata("elapsed_seconds", Double.toString(elapsedSeconds));
        extra.forEach(writer::metadata);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(file + ": cannot create its folder", e);
        }
        writer.write(file);
    }

    /** Loads a checkpoint into the given (already built) parameters, optimizer and EMA. */
    public static Info restore(Path file, Parameters parameters, AdamW optimizer, Ema ema) {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Map<String, String> meta = st.metadata();
            String source = file.toString();
            parameters.load(group(st, PARAM), source);
            optimizer.restore(group(st, ADAM_M), group(st, ADAM_V), Long.parseLong(meta.get("adam_steps")), source);
            if (ema != null) {
                ema.restore(group(st, EMA), Long.parseLong(meta.get("ema_updates")), source);
            }
            return info(meta);
        }
    }

    /** Only the metadata (stage, step, recipe) without touching any model. */
    public static Info peek(Path file) {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            return info(st.metadata());
        }
    }

    /** The tensors under one prefix ("param/", "ema/") by parameter name. */
    public static Map<String, float[]> tensors(Path file, String prefix) {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            return group(st, prefix);
        }
    }

    public static String emaPrefix() {
        return EMA;
    }

    public static String paramPrefix() {
        return PARAM;
    }

    private static Info info(Map<String, String> meta) {
        return new Info(meta.get("stage"), Long.parseLong(meta.get("step")),
                Double.parseDouble(meta.getOrDefault("elapsed_seconds", "0")), meta);
    }

    private static Map<String, float[]> group(SafetensorsFile st, String prefix) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (TensorInfo info : st.tensors().values()) {
            if (info.name().startsWith(prefix)) {
                out.put(info.name().substring(prefix.length()), st.floats(info.name()));
            }
        }
        return out;
    }
}
