package dev.osmosis.engine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a benchmark ran on, for its header line. */
final class Machine {
    private Machine() {}

    /** "N libtorch threads on M cores": what a timing ran on (the threads are -Dai.djl.pytorch.num_threads). */
    static String threads() {
        ai.djl.engine.Engine.getInstance(); // loads libtorch, whose thread count is asked next
        return ai.djl.pytorch.jni.JniUtils.getNumThreads() + " libtorch threads on "
                + Runtime.getRuntime().availableProcessors() + " cores";
    }

    static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }
}
