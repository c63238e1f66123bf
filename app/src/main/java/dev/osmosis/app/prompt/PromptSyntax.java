package dev.osmosis.app.prompt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Colours for A1111's prompt weight syntax as the engine reads it ({@code PromptWeights}): {@code (a)}
 * x1.1, {@code [a]} /1.1, {@code (a:1.3)} x1.3, nesting multiplies, {@code \(} is a literal, an
 * unclosed bracket runs to the end, a stray closing one is plain text, {@code BREAK} starts a new
 * 75-token chunk. Each character gets one style: the brackets and the number themselves, or the
 * text by its resulting weight, so the person sees what the model will stress.
 */
public final class PromptSyntax {
    /** Style classes (see studio.css). */
    public static final String BRACKET = "syntax-bracket";
    public static final String WEIGHT = "syntax-weight";
    public static final String ESCAPE = "syntax-escape";
    public static final String KEYWORD = "syntax-keyword";
    public static final String STRAY = "syntax-stray";
    public static final String UP = "syntax-up";
    public static final String UP_STRONG = "syntax-up-strong";
    public static final String DOWN = "syntax-down";

    /** The same lexical units as the engine's parser: escapes, brackets, ":1.3)", text runs, a lone ':'. */
    private static final Pattern UNIT = Pattern.compile(
            "\\\\\\(|\\\\\\)|\\\\\\[|\\\\]|\\\\\\\\|\\\\|\\(|\\[|:\\s*([+-]?[.\\d]+)\\s*\\)|\\)|]|[^\\\\()\\[\\]:]+|:");
    private static final Pattern BREAK = Pattern.compile("\\bBREAK\\b");

    private PromptSyntax() {}

    /** A styled range [start, end) of the prompt; plain text has no span. */
    public record Span(int start, int end, String style) {}

    private record Unit(int start, int end, String text, String weight) {}

    /** Non-overlapping spans in text order. */
    public static List<Span> highlight(String prompt) {
        List<Unit> units = new ArrayList<>();
        Matcher m = UNIT.matcher(prompt);
        while (m.find()) {
            units.add(new Unit(m.start(), m.end(), m.group(), m.group(1)));
        }
        // pass 1: pair the brackets and give each group its multiplier
        double[] factor = new double[units.size()];
        int[] closer = new int[units.size()];
        java.util.Arrays.fill(closer, -1);
        boolean[] stray = new boolean[units.size()];
        Deque<Integer> round = new ArrayDeque<>();
        Deque<Integer> square = new ArrayDeque<>();
        for (int i = 0; i < units.size(); i++) {
            String t = units.get(i).text();
            if (t.equals("(")) {
                round.push(i);
            } else if (t.equals("[")) {
                square.push(i);
            } else if (units.get(i).weight() != null && !round.isEmpty()) {
                int open = round.pop();
                closer[open] = i;
                factor[open] = isNumber(units.get(i).weight()) ? Double.parseDouble(units.get(i).weight()) : 1.1;
            } else if (t.equals(")")) {
                if (round.isEmpty()) {
                    stray[i] = true;
                } else {
                    int open = round.pop();
                    closer[open] = i;
                    factor[open] = 1.1;
                }
            } else if (t.equals("]")) {
                if (square.isEmpty()) {
                    stray[i] = true;
                } else {
                    int open = square.pop();
                    closer[open] = i;
                    factor[open] = 1 / 1.1;
                }
            }
        }
        for (int open : round) {
            factor[open] = 1.1;
        }
        for (int open : square) {
            factor[open] = 1 / 1.1;
        }
        // pass 2: walk with the product of the open groups' factors
        List<Span> spans = new ArrayList<>();
        Deque<Integer> openGroups = new ArrayDeque<>();
        double weight = 1;
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            String t = u.text();
            if (t.startsWith("\\")) {
                add(spans, u.start(), u.end(), ESCAPE);
            } else if (t.equals("(") || t.equals("[")) {
                add(spans, u.start(), u.end(), BRACKET);
                openGroups.push(i);
                weight *= factor[i];
            } else if (stray[i]) {
                add(spans, u.start(), u.end(), STRAY);
            } else if (t.equals(")") || t.equals("]") || u.weight() != null) {
                Integer open = findOpen(openGroups, closer, i);
                if (open == null) {
                    // ":1.3)" with no "(" open is plain text to the engine
                    add(spans, u.start(), u.end(), styleFor(weight));
                    continue;
                }
                if (u.weight() != null) {
                    int colon = u.start();
                    int close = u.end() - 1;
                    add(spans, colon, close, isNumber(u.weight()) ? WEIGHT : STRAY);
                    add(spans, close, u.end(), BRACKET);
                } else {
                    add(spans, u.start(), u.end(), BRACKET);
                }
                openGroups.remove(open);
                weight /= factor[open];
            } else {
                addText(spans, u.start(), t, styleFor(weight));
            }
        }
        return spans;
    }

    private static Integer findOpen(Deque<Integer> openGroups, int[] closer, int i) {
        for (int open : openGroups) {
            if (closer[open] == i) {
                return open;
            }
        }
        return null;
    }

    private static void addText(List<Span> spans, int offset, String text, String style) {
        Matcher b = BREAK.matcher(text);
        int at = 0;
        while (b.find()) {
            add(spans, offset + at, offset + b.start(), style);
            add(spans, offset + b.start(), offset + b.end(), KEYWORD);
            at = b.end();
        }
        add(spans, offset + at, offset + text.length(), style);
    }

    private static String styleFor(double weight) {
        if (weight > 1.2 + 1e-9) {
            return UP_STRONG;
        }
        if (weight > 1 + 1e-9) {
            return UP;
        }
        if (weight < 1 - 1e-9) {
            return DOWN;
        }
        return null;
    }

    private static void add(List<Span> spans, int start, int end, String style) {
        if (style == null || end <= start) {
            return;
        }
        if (!spans.isEmpty()) {
            Span last = spans.get(spans.size() - 1);
            if (last.end() == start && last.style().equals(style)) {
                spans.set(spans.size() - 1, new Span(last.start(), end, style));
                return;
            }
        }
        spans.add(new Span(start, end, style));
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
