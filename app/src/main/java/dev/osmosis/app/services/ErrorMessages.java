package dev.osmosis.app.services;

import dev.osmosis.engine.io.ModelFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * One line a person can act on for any failure: the file and the problem for bad inputs, what to
 * lower for out-of-memory, the exception's name only for real bugs (whose stack trace goes to the log).
 */
public final class ErrorMessages {
    private ErrorMessages() {}

    public static String describe(Throwable e) {
        Throwable t = unwrap(e);
        if (isOutOfMemory(t)) {
            return "Out of memory: lower the size or the batch, close other programs, or give Java more memory"
                    + " (OSMOSIS_JAVA_OPTS=-Xmx...).";
        }
        if (t instanceof NoSuchFileException f) {
            return f.getFile() + ": file not found";
        }
        if (t instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() == null ? t.getClass().getSimpleName() : f.getReason());
        }
        if (isExpected(t)) {
            return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        }
        return "Unexpected " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Errors that come from what the person gave (a file, a value), not from a bug. */
    public static boolean isExpected(Throwable e) {
        Throwable t = unwrap(e);
        return t instanceof ModelFormatException || t instanceof IllegalArgumentException || t instanceof IOException
                || isOutOfMemory(t);
    }

    static boolean isOutOfMemory(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return true;
        }
        String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        // libtorch reports allocation failures as EngineException text, not as OutOfMemoryError
        return m.contains("out of memory") || m.contains("not enough memory") || m.contains("can't allocate memory")
                || m.contains("bad_alloc");
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof UncheckedIOException || t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
