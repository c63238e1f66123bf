package dev.osmosis.app.engine;

/**
 * A loaded model as the studio shows it.
 *
 * @param nativeResolution the image side it was trained at (512 for SD1)
 * @param recommendedCfg the guidance scale it works best with (its folder's recommendation, else 7.5)
 * @param device where it runs, e.g. "CPU" or "GPU 0"
 * @param loadMillis how long loading took (0 when it was already loaded)
 */
public record ModelInfo(String name, String source, int nativeResolution, double recommendedCfg, String device,
        long loadMillis) {}
