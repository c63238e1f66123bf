package dev.osmosis.app.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.app.prompt.PromptSyntax.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptSyntaxTest {
    private static String styleAt(List<Span> spans, int pos) {
        return spans.stream().filter(s -> s.start() <= pos && pos < s.end()).map(Span::style).findFirst().orElse("plain");
    }

    @Test
    void plainTextHasNoSpans() {
        assertTrue(PromptSyntax.highlight("a red star on a blue background").isEmpty());
    }

    @Test
    void explicitWeightColoursBracketsNumberAndStressedText() {
        String p = "a (red:1.3) star";
        List<Span> s = PromptSyntax.highlight(p);
        assertEquals(PromptSyntax.BRACKET, styleAt(s, p.indexOf('(')));
        assertEquals(PromptSyntax.UP_STRONG, styleAt(s, p.indexOf("red")));
        assertEquals(PromptSyntax.WEIGHT, styleAt(s, p.indexOf("1.3")));
        assertEquals(PromptSyntax.BRACKET, styleAt(s, p.indexOf(')')));
        assertEquals("plain", styleAt(s, p.indexOf("star")));
    }

    @Test
    void nestingMultipliesAndSquareBracketsSoften() {
        String p = "(a) ((b)) [c]";
        List<Span> s = PromptSyntax.highlight(p);
        assertEquals(PromptSyntax.UP, styleAt(s, p.indexOf('a')));          // 1.1
        assertEquals(PromptSyntax.UP_STRONG, styleAt(s, p.indexOf('b')));   // 1.21
        assertEquals(PromptSyntax.DOWN, styleAt(s, p.indexOf('c')));        // 1/1.1
    }

    @Test
    void lowExplicitWeightSoftens() {
        String p = "(fog:0.5)";
        assertEquals(PromptSyntax.DOWN, styleAt(PromptSyntax.highlight(p), 1));
    }

    @Test
    void escapesAreLiteralAndStrayClosersFlagged() {
        String p = "\\(not weighted\\) and stray)";
        List<Span> s = PromptSyntax.highlight(p);
        assertEquals(PromptSyntax.ESCAPE, styleAt(s, 0));
        assertEquals("plain", styleAt(s, p.indexOf("not")));
        assertEquals(PromptSyntax.STRAY, styleAt(s, p.length() - 1));
    }

    @Test
    void unclosedBracketWeighsTheRestLikeTheEngine() {
        String p = "a (red star";
        List<Span> s = PromptSyntax.highlight(p);
        assertEquals(PromptSyntax.UP, styleAt(s, p.indexOf("star")));
    }

    @Test
    void breakIsAKeyword() {
        String p = "a cat BREAK a dog";
        List<Span> s = PromptSyntax.highlight(p);
        assertEquals(PromptSyntax.KEYWORD, styleAt(s, p.indexOf("BREAK")));
        assertEquals("plain", styleAt(s, p.indexOf("dog")));
    }

    @Test
    void spansAreOrderedAndInsideTheText() {
        String p = "((x:1.2) [y] z\\) BREAK (w";
        List<Span> s = PromptSyntax.highlight(p);
        int at = 0;
        for (Span span : s) {
            assertTrue(span.start() >= at && span.end() <= p.length() && span.start() < span.end(), span.toString());
            at = span.end();
        }
    }
}
