package dev.osmosis.engine.pipeline;

import dev.osmosis.engine.image.GenerationParameters;
import dev.osmosis.engine.nn.Precision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request as AUTOMATIC1111 writes its "parameters" text ("Steps: 20, Sampler: Euler a, CFG scale:
 * 7.5, Seed: 1, Size: 512x512, ..."), and back, so a PNG made here or by A1111 restores its settings.
 * Sampler names are A1111's; plugins go in one "Plugins" entry in the CLI's --plugin syntax.
 */
public final class Infotext {
    /** This engine's sampler names and A1111's labels for them. */
    private static final Map<String, String> SAMPLER_LABELS = Map.of(
            "ddim", "DDIM",
            "pndm", "PLMS",
            "euler", "Euler",
            "euler_a", "Euler a",
            "heun", "Heun",
            "dpmpp_2m", "DPM++ 2M",
            "dpmpp_2m_karras", "DPM++ 2M Karras",
            "lcm", "LCM",
            "unipc", "UniPC");

    private Infotext() {}

    /** A1111's label of an engine sampler name ("euler_a" -> "Euler a"). */
    public static String samplerLabel(String sampler) {
        String label = SAMPLER_LABELS.get(sampler);
        if (label == null) {
            throw new IllegalArgumentException("unknown sampler '" + sampler + "'");
        }
        return label;
    }

    public static String format(GenerationRequest r, long seed, String modelName) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("Steps", Integer.toString(r.steps()));
        settings.put("Sampler", samplerLabel(r.sampler()));
        settings.put("CFG scale", number(r.cfgScale()));
        settings.put("Seed", Long.toString(seed));
        settings.put("Size", r.width() + "x" + r.height());
        if (modelName != null) {
            settings.put("Model", modelName);
        }
        if (r.isImg2Img()) {
            settings.put("Denoising strength", number(r.strength()));
        }
        if (r.clipSkip() > 1) {
            settings.put("Clip skip", Integer.toString(r.clipSkip()));
        }
        if (r.precision() != Precision.FP32) {
            settings.put("Precision", r.precision().label());
        }
        if (!r.plugins().isEmpty()) {
            settings.put("Plugins", String.join(" ", r.plugins().stream().map(PluginSpec::format).toList()));
        }
        return new GenerationParameters(r.prompt(), r.negativePrompt(), settings).format();
    }

    /**
     * The settings a parameters text holds, applied over {@code base} (fields the text lacks keep
     * the base's values; an unknown sampler label keeps the base's sampler).
     */
    public static GenerationRequest.Builder restore(String text, GenerationRequest base) {
        GenerationParameters p = GenerationParameters.parse(text);
        GenerationRequest.Builder b = base.toBuilder().prompt(p.prompt()).negativePrompt(p.negativePrompt())
                .initImage(null).initialLatents(null);
        b.steps(p.intSetting("Steps", base.steps()));
        String label = p.setting("Sampler");
        String schedule = p.setting("Schedule type");
        if (label != null) {
            String full = schedule != null && schedule.equalsIgnoreCase("Karras") && !label.endsWith("Karras")
                    ? label + " Karras" : label;
            SAMPLER_LABELS.forEach((name, l) -> {
                if (l.equalsIgnoreCase(full)) {
                    b.sampler(name);
                }
            });
        }
        b.cfgScale(doubleSetting(p, "CFG scale", base.cfgScale()));
        String seed = p.setting("Seed");
        if (seed != null) {
            try {
                b.seed(Long.parseLong(seed.strip()));
            } catch (NumberFormatException ignored) {
                // keep the base seed
            }
        }
        String size = p.setting("Size");
        if (size != null && size.matches("\\d+x\\d+")) {
            String[] wh = size.split("x");
            b.size(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
        }
        b.clipSkip(p.intSetting("Clip skip", 1));
        b.strength(doubleSetting(p, "Denoising strength", base.strength()));
        String precision = p.setting("Precision");
        try {
            b.precision(precision == null ? Precision.FP32 : Precision.parse(precision));
        } catch (IllegalArgumentException unknown) {
            b.precision(Precision.FP32); // another tool's meaning of the key: compute exactly
        }
        String plugins = p.setting("Plugins");
        b.plugins(plugins == null || plugins.isBlank() ? List.of()
                : java.util.Arrays.stream(plugins.trim().split("\\s+")).map(PluginSpec::parse).toList());
        return b;
    }

    private static double doubleSetting(GenerationParameters p, String key, double fallback) {
        String v = p.setting(key);
        try {
            return v == null ? fallback : Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** 7.5 stays 7.5, 7.0 becomes 7 (as A1111 writes it). */
    static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
