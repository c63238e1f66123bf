package dev.osmosis.engine.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AUTOMATIC1111's attention (emphasis) syntax: {@code (text)} multiplies the weight of its text by
 * 1.1, {@code [text]} divides it by 1.1, {@code (text:1.3)} multiplies it by 1.3, and nesting
 * multiplies. {@code \( \) \[ \] \\} are literal characters. A closing bracket without an opening
 * one is plain text; an opening bracket never closed applies to the rest of the prompt. The word
 * {@code BREAK} ends the current 75-token chunk. Neighbouring segments of equal weight are merged.
 */
public final class PromptWeights {
    static final double ROUND_BRACKET_MULTIPLIER = 1.1;
    static final double SQUARE_BRACKET_MULTIPLIER = 1 / 1.1;

    /** One lexical unit: an escape, a bracket, an explicit weight ":1.3)", a text run, or a lone ':'. */
    private static final Pattern UNIT = Pattern.compile(
            "\\\\\\(|\\\\\\)|\\\\\\[|\\\\]|\\\\\\\\|\\\\|\\(|\\[|:\\s*([+-]?[.\\d]+)\\s*\\)|\\)|]|[^\\\\()\\[\\]:]+|:");
    private static final Pattern BREAK = Pattern.compile("\\s*\\bBREAK\\b\\s*", Pattern.UNICODE_CHARACTER_CLASS);

    private PromptWeights() {}

    /** A run of prompt text and its weight, or a chunk break. */
    public record Segment(String text, double weight, boolean isBreak) {
        public static final Segment BREAK = new Segment("BREAK", 1.0, true);

        public static Segment of(String text, double weight) {
            return new Segment(text, weight, false);
        }
    }

    /** The segments of a prompt in order; never empty (an empty prompt is one empty segment). */
    public static List<Segment> parse(String prompt) {
        List<String> texts = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<Boolean> breaks = new ArrayList<>();
        List<Integer> roundOpen = new ArrayList<>();
        List<Integer> squareOpen = new ArrayList<>();
        Matcher m = UNIT.matcher(prompt);
        while (m.find()) {
            String unit = m.group();
            String weight = m.group(1);
            if (unit.startsWith("\\")) {
                add(texts, weights, breaks, unit.substring(1));
            } else if (unit.equals("(")) {
                roundOpen.add(texts.size());
            } else if (unit.equals("[")) {
                squareOpen.add(texts.size());
            } else if (weight != null && !roundOpen.isEmpty()) {
                if (isNumber(weight)) {
                    multiply(weights, pop(roundOpen), Double.parseDouble(weight));
                } else {
                    add(texts, weights, breaks, unit.substring(0, unit.length() - 1));
                    multiply(weights, pop(roundOpen), ROUND_BRACKET_MULTIPLIER);
                }
            } else if (unit.equals(")") && !roundOpen.isEmpty()) {
                multiply(weights, pop(roundOpen), ROUND_BRACKET_MULTIPLIER);
            } else if (unit.equals("]") && !squareOpen.isEmpty()) {
                multiply(weights, pop(squareOpen), SQUARE_BRACKET_MULTIPLIER);
            } else {
                String[] parts = BREAK.split(unit, -1);
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) {
                        texts.add(Segment.BREAK.text());
                        weights.add(Segment.BREAK.weight());
                        breaks.add(true);
                    }
                    add(texts, weights, breaks, parts[i]);
                }
            }
        }
        // unclosed brackets reach to the end, innermost last, as A1111 applies them
        for (int start : roundOpen) {
            multiply(weights, start, ROUND_BRACKET_MULTIPLIER);
        }
        for (int start : squareOpen) {
            multiply(weights, start, SQUARE_BRACKET_MULTIPLIER);
        }
        return merge(texts, weights, breaks);
    }

    private static void add(List<String> texts, List<Double> weights, List<Boolean> breaks, String text) {
        texts.add(text);
        weights.add(1.0);
        breaks.add(false);
    }

    private static int pop(List<Integer> stack) {
        return stack.remove(stack.size() - 1);
    }

    private static void multiply(List<Double> weights, int from, double factor) {
        for (int i = from; i < weights.size(); i++) {
            weights.set(i, weights.get(i) * factor);
        }
    }

    /**
     * The weight pattern also matches "1.2.3" or "."; A1111 fails on those, here they stay text and the
     * bracket closes with the default multiplier.
     */
    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static List<Segment> merge(List<String> texts, List<Double> weights, List<Boolean> breaks) {
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (breaks.get(i)) {
                out.add(Segment.BREAK);
                continue;
            }
            Segment last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && !last.isBreak() && last.weight() == weights.get(i)) {
                out.set(out.size() - 1, Segment.of(last.text() + texts.get(i), last.weight()));
            } else {
                out.add(Segment.of(texts.get(i), weights.get(i)));
            }
        }
        if (out.isEmpty()) {
            out.add(Segment.of("", 1.0));
        }
        return List.copyOf(out);
    }
}
