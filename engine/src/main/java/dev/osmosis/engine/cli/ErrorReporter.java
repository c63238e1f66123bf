package dev.osmosis.engine.cli;

import dev.osmosis.engine.io.ModelFormatException;
import dev.osmosis.engine.pipeline.GenerationCancelledException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one line on stderr and a non-zero exit: the person sees the file,
 * the field and the problem, not a stack trace (OSMOSIS_DEBUG=1 prints it too).
 */
final class ErrorReporter implements IExecutionExceptionHandler {
    static final int USER_ERROR = 1;
    static final int INTERNAL_ERROR = 70;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        if (System.getenv("OSMOSIS_DEBUG") != null) {
            e.printStackTrace();
        }
        cmd.getErr().println("osmosis: error: " + message(e));
        return isUserError(e) ? USER_ERROR : INTERNAL_ERROR;
    }

    static boolean isUserError(Throwable e) {
        return e instanceof ModelFormatException || e instanceof IllegalArgumentException
                || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof GenerationCancelledException;
    }

    static String message(Throwable e) {
        if (e instanceof UncheckedIOException u) {
            return message(u.getCause());
        }
        if (e instanceof FileSystemException f) {
            String reason = f.getReason() == null ? f.getClass().getSimpleName() : f.getReason();
            return f.getFile() + ": " + reason;
        }
        if (e instanceof IOException || isUserError(e)) {
            return e.getMessage();
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory: lower the size or the batch, or give Java more (OSMOSIS_JAVA_OPTS=-Xmx...)";
        }
        return "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                + " (set OSMOSIS_DEBUG=1 for the stack trace)";
    }
}
