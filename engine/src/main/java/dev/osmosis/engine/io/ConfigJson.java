package dev.osmosis.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reading diffusers/transformers config.json files: typed fields with the library's defaults for
 * absent or null keys, and errors that name the key (the parsers) or the file and the key
 * ({@link #read}).
 */
public final class ConfigJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigJson() {}

    /**
     * Parses {@code file} with {@code parse}; a missing file, invalid JSON or a bad field becomes a
     * {@link ModelFormatException} that names the file.
     */
    public static <T> T read(Path file, Function<JsonNode, T> parse) {
        JsonNode json;
        try {
            json = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file + ": file not found");
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot be read as JSON ("
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")", e);
        }
        if (json == null || !json.isObject()) {
            throw new ModelFormatException(file + ": expected a JSON object");
        }
        try {
            return parse.apply(json);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** Whether the key is there with a non-null value. */
    public static boolean present(JsonNode json, String key) {
        JsonNode node = json.get(key);
        return node != null && !node.isNull();
    }

    public static int integer(JsonNode json, String key, int fallback) {
        if (!present(json, key)) {
            return fallback;
        }
        JsonNode node = json.get(key);
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException(key + " must be an integer, found " + node);
        }
        return node.intValue();
    }

    public static double number(JsonNode json, String key, double fallback) {
        if (!present(json, key)) {
            return fallback;
        }
        if (!json.get(key).isNumber()) {
            throw new IllegalArgumentException(key + " must be a number, found " + json.get(key));
        }
        return json.get(key).doubleValue();
    }

    public static boolean bool(JsonNode json, String key, boolean fallback) {
        if (!present(json, key)) {
            return fallback;
        }
        if (!json.get(key).isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false, found " + json.get(key));
        }
        return json.get(key).booleanValue();
    }

    public static String text(JsonNode json, String key, String fallback) {
        if (!present(json, key)) {
            return fallback;
        }
        if (!json.get(key).isTextual()) {
            throw new IllegalArgumentException(key + " must be a string, found " + json.get(key));
        }
        return json.get(key).textValue();
    }

    public static List<String> strings(JsonNode json, String key, List<String> fallback) {
        if (!present(json, key)) {
            return fallback;
        }
        JsonNode list = json.get(key);
        if (!list.isArray()) {
            throw new IllegalArgumentException(key + " must be a list of strings, found " + list);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode node : list) {
            if (!node.isTextual()) {
                throw new IllegalArgumentException(key + " must be a list of strings, found " + list);
            }
            out.add(node.textValue());
        }
        return out;
    }

    public static List<Integer> integers(JsonNode json, String key, List<Integer> fallback) {
        if (!present(json, key)) {
            return fallback;
        }
        return integers(key, json.get(key));
    }

    /** A list of ints; the error names {@code key}. */
    public static List<Integer> integers(String key, JsonNode list) {
        if (!list.isArray()) {
            throw new IllegalArgumentException(key + " must be a list of integers, found " + list);
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode node : list) {
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw new IllegalArgumentException(key + " must be a list of integers, found " + list);
            }
            out.add(node.intValue());
        }
        return out;
    }

    public static List<Double> numbers(JsonNode json, String key, List<Double> fallback) {
        if (!present(json, key)) {
            return fallback;
        }
        return numbers(key, json.get(key));
    }

    /** A JSON list of numbers; the error names {@code key}. */
    public static List<Double> numbers(String key, JsonNode list) {
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(key + " must be a list of numbers, found " + list);
        }
        List<Double> out = new ArrayList<>();
        for (JsonNode node : list) {
            if (!node.isNumber()) {
                throw new IllegalArgumentException(key + " must be a list of numbers, found " + list);
            }
            out.add(node.doubleValue());
        }
        return out;
    }
}
