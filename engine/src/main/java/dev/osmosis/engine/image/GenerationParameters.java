package dev.osmosis.engine.image;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The A1111 "parameters" text: the prompt, a "Negative prompt:" line, then one line of
 * "Key: value" pairs. Written into every PNG and read back to restore a generation.
 */
public record GenerationParameters(String prompt, String negativePrompt, Map<String, String> settings) {

    public String format() {
        StringBuilder sb = new StringBuilder(prompt);
        if (negativePrompt != null && !negativePrompt.isEmpty()) {
            sb.append("\nNegative prompt: ").append(negativePrompt);
        }
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (line.length() > 0) {
                line.append(", ");
            }
            line.append(e.getKey()).append(": ").append(quoteIfNeeded(e.getValue()));
        }
        return sb.append('\n').append(line).toString();
    }

    private static String quoteIfNeeded(String v) {
        return v.contains(",") || v.contains(":") ? "\"" + v.replace("\"", "\\\"") + "\"" : v;
    }

    /** Parses text written by this studio or by A1111. */
    public static GenerationParameters parse(String text) {
        String[] lines = text.strip().split("\n");
        int last = lines.length - 1;
        Map<String, String> settings = new LinkedHashMap<>();
        if (last >= 0 && lines[last].matches("^(\\s*[\\w \\-/+]+:\\s*(\"(?:\\\\.|[^\\\\\"])*\"|[^,]*)(,|$))+.*")
                && lines[last].contains("Steps:")) {
            settings = parseSettings(lines[last]);
        } else {
            last = lines.length;
        }
        StringBuilder prompt = new StringBuilder();
        StringBuilder negative = new StringBuilder();
        boolean inNegative = false;
        for (int i = 0; i < last; i++) {
            String l = lines[i];
            if (l.startsWith("Negative prompt:")) {
                inNegative = true;
                l = l.substring("Negative prompt:".length()).strip();
            }
            StringBuilder target = inNegative ? negative : prompt;
            if (target.length() > 0) {
                target.append('\n');
            }
            target.append(l);
        }
        return new GenerationParameters(prompt.toString(), negative.toString(), settings);
    }

    private static Map<String, String> parseSettings(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("\\s*([\\w \\-/+]+):\\s*(\"(?:\\\\.|[^\\\\\"])*\"|[^,]*)(?:,|$)")
                .matcher(line);
        while (m.find()) {
            String value = m.group(2).strip();
            if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
                value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
            }
            out.put(m.group(1).strip(), value);
        }
        return out;
    }

    public String setting(String key) {
        return settings.get(key);
    }

    public int intSetting(String key, int fallback) {
        String v = settings.get(key);
        try {
            return v == null ? fallback : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
