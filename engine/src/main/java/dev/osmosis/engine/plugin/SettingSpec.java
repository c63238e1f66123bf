package dev.osmosis.engine.plugin;

import java.util.List;
import java.util.Locale;

/**
 * One declared setting of a plugin: enough for the studio to draw a control and for the CLI to
 * validate {@code key=value} without plugin-specific code.
 *
 * @param min inclusive lower bound for numbers, else null
 * @param max inclusive upper bound for numbers, else null
 * @param choices the allowed values of a {@link Type#CHOICE}, else empty
 */
public record SettingSpec(String key, String label, Type type, String defaultValue, Double min, Double max,
        List<String> choices, String description) {

    public enum Type { INTEGER, DECIMAL, BOOLEAN, CHOICE, TEXT, FILE }

    public SettingSpec {
        if (!key.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("setting key '" + key + "' must be lower_snake_case");
        }
        choices = choices == null ? List.of() : List.copyOf(choices);
    }

    public static SettingSpec integer(String key, String label, int defaultValue, int min, int max, String description) {
        return new SettingSpec(key, label, Type.INTEGER, Integer.toString(defaultValue), (double) min, (double) max,
                List.of(), description);
    }

    public static SettingSpec decimal(String key, String label, double defaultValue, double min, double max,
            String description) {
        return new SettingSpec(key, label, Type.DECIMAL, Double.toString(defaultValue), min, max, List.of(),
                description);
    }

    public static SettingSpec bool(String key, String label, boolean defaultValue, String description) {
        return new SettingSpec(key, label, Type.BOOLEAN, Boolean.toString(defaultValue), null, null, List.of(),
                description);
    }

    public static SettingSpec choice(String key, String label, String defaultValue, List<String> choices,
            String description) {
        return new SettingSpec(key, label, Type.CHOICE, defaultValue, null, null, choices, description);
    }

    public static SettingSpec file(String key, String label, String description) {
        return new SettingSpec(key, label, Type.FILE, "", null, null, List.of(), description);
    }

    public static SettingSpec text(String key, String label, String defaultValue, String description) {
        return new SettingSpec(key, label, Type.TEXT, defaultValue, null, null, List.of(), description);
    }

    /** Checks a value given as text and returns it normalised; the error says what is allowed. */
    public String validate(String value) {
        String v = value.strip();
        switch (type) {
            case INTEGER -> {
                long n;
                try {
                    n = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw invalid(value, "an integer " + range());
                }
                checkRange(value, n);
                return Long.toString(n);
            }
            case DECIMAL -> {
                double d;
                try {
                    d = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw invalid(value, "a number " + range());
                }
                if (!Double.isFinite(d)) {
                    throw invalid(value, "a number " + range());
                }
                checkRange(value, d);
                return Double.toString(d);
            }
            case BOOLEAN -> {
                String b = v.toLowerCase(Locale.ROOT);
                if (List.of("true", "on", "yes", "1").contains(b)) {
                    return "true";
                }
                if (List.of("false", "off", "no", "0").contains(b)) {
                    return "false";
                }
                throw invalid(value, "true or false");
            }
            case CHOICE -> {
                if (!choices.contains(v)) {
                    throw invalid(value, "one of " + choices);
                }
                return v;
            }
            default -> {
                return v;
            }
        }
    }

    private void checkRange(String value, double n) {
        if ((min != null && n < min) || (max != null && n > max)) {
            throw invalid(value, (type == Type.INTEGER ? "an integer " : "a number ") + range());
        }
    }

    private String range() {
        return "from " + fmt(min) + " to " + fmt(max);
    }

    private String fmt(Double d) {
        if (d == null) {
            return "any";
        }
        return type == Type.INTEGER || d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString();
    }

    private IllegalArgumentException invalid(String value, String expected) {
        return new IllegalArgumentException("setting '" + key + "' = '" + value + "' is not valid: expected "
                + expected);
    }
}
