package dev.osmosis.engine.pipeline;

import dev.osmosis.engine.io.SafetensorsFile;
import dev.osmosis.engine.io.SafetensorsWriter;
import dev.osmosis.engine.io.TensorInfo;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Latents exchanged as a safetensors file with one tensor "latents" [batch, channels, h, w]: the
 * starting noise of a txt2img run (diffusers' {@code latents=}) or the final latents of one.
 */
public record LatentsFile(float[] values, long[] shape) {
    public static final String TENSOR = "latents";

    /** Reads the "latents" tensor; the error names the file and what is wrong. */
    public static LatentsFile read(Path file) {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            if (!st.contains(TENSOR)) {
                throw new IllegalArgumentException(file + ": no tensor named '" + TENSOR + "' (found "
                        + st.tensors().keySet() + ")");
            }
            TensorInfo info = st.info(TENSOR);
            if (info.shape().length != 4) {
                throw new IllegalArgumentException(file + ": '" + TENSOR
                        + "' must be [batch, channels, height/8, width/8], got " + info);
            }
            return new LatentsFile(st.floats(TENSOR), info.shape());
        }
    }

    /** Checks the shape against what a request needs; the error says both. */
    public LatentsFile requireShape(Path file, long[] expected, String forWhat) {
        if (!Arrays.equals(expected, shape)) {
            throw new IllegalArgumentException(file + ": '" + TENSOR + "' has shape " + Arrays.toString(shape)
                    + " but " + forWhat + " needs " + Arrays.toString(expected));
        }
        return this;
    }

    /** Writes the latents (atomically) with the generation's parameters as metadata. */
    public void write(Path file, String parameters) {
        SafetensorsWriter writer = SafetensorsWriter.create().put(TENSOR, shape, values);
        if (parameters != null) {
            writer.metadata("parameters", parameters);
        }
        writer.write(file);
    }
}
