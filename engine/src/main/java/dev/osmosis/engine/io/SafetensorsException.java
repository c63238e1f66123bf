package dev.osmosis.engine.io;

import java.nio.file.Path;

/** A safetensors file that cannot be read: the message names the file, the field and the problem. */
public class SafetensorsException extends ModelFormatException {
    public SafetensorsException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public SafetensorsException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
