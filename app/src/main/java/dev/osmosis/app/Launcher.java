package dev.osmosis.app;

import javafx.application.Application;

/**
 * The main class of {@code ./osmosis studio}. Separate from {@link StudioApp} because JavaFX
 * refuses to start an Application subclass as the main class from the class path.
 */
public final class Launcher {
    /** Held so the level sticks: JavaFX warns about running from the class path, which is how the studio runs. */
    private static final java.util.logging.Logger JAVAFX_LOG = java.util.logging.Logger.getLogger("javafx");

    /** DJL's PyTorch thread settings (torch.set_num_threads / set_num_interop_threads). */
    public static final String THREADS = "ai.djl.pytorch.num_threads";
    public static final String INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

    private Launcher() {}

    public static void main(String[] args) {
        // the engine never downloads: PyTorch's native library comes with the build
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        // the engine's images are AWT BufferedImages only; no AWT window ever opens
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        // PyTorch's OpenMP workers spin while they wait; with the UI thread and a software renderer
        // on the same cores they starve each other (a 64 px image went from 0.2 s to 50 s on 2 cores).
        // Leave one core to the window unless the person chose otherwise.
        int cores = Runtime.getRuntime().availableProcessors();
        System.setProperty(THREADS, System.getProperty(THREADS, Integer.toString(Math.max(1, cores - 1))));
        System.setProperty(INTEROP_THREADS, System.getProperty(INTEROP_THREADS, "1"));
        JAVAFX_LOG.setLevel(java.util.logging.Level.SEVERE);
        Application.launch(StudioApp.class, args);
    }
}
