package dev.osmosis.engine.model;

import dev.osmosis.engine.io.ConfigJson;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sampling settings a model works best with, where its folder says (osmosis_recommended.json,
 * beside model_index.json; diffusers has no such file and ignores it), else Stable Diffusion's usual
 * ones. A tiny model trained on a small world wants far less guidance than SD's 7.5: measured on the
 * embedded model, CFG 3 draws the prompted shapes and positions more often than 7.5 (its model card).
 *
 * @param cfgScale the classifier-free guidance scale the CLI and the studio start from
 */
public record RecommendedSettings(double cfgScale) {
    public static final String FILE = "osmosis_recommended.json";

    /** Stable Diffusion 1.x/2.x. */
    public static final RecommendedSettings SD = new RecommendedSettings(7.5);

    /** The most guidance a recommendation may ask for; beyond it images burn out on any model. */
    static final double MAX_CFG = 30;

    public RecommendedSettings {
        if (!(cfgScale >= 1 && cfgScale <= MAX_CFG)) {
            throw new IllegalArgumentException("cfg_scale must be between 1 and " + MAX_CFG + ", found " + cfgScale);
        }
    }

    /** The folder's recommendation, or {@link #SD} when it has none. */
    public static RecommendedSettings load(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        if (!Files.exists(file)) {
            return SD;
        }
        return ConfigJson.read(file, json -> new RecommendedSettings(ConfigJson.number(json, "cfg_scale",
                SD.cfgScale())));
    }
}
