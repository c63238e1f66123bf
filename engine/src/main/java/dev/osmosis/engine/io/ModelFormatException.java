package dev.osmosis.engine.io;

/**
 * Model files that cannot be used (missing, corrupt, unsupported format, wrong shapes).
 * The message is meant for the person: one line naming the file, the field and the problem.
 */
public class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
