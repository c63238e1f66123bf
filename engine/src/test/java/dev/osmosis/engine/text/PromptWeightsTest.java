package dev.osmosis.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.osmosis.engine.text.PromptWeights.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule of A1111's emphasis syntax, weights compared exactly (same multiplication order). */
class PromptWeightsTest {
    private static Segment seg(String text, double weight) {
        return Segment.of(text, weight);
    }

    @Test
    void plainTextIsOneSegmentOfWeightOne() {
        assertEquals(List.of(seg("a photo of a cat", 1.0)), PromptWeights.parse("a photo of a cat"));
    }

    @Test
    void emptyPromptIsOneEmptySegment() {
        assertEquals(List.of(seg("", 1.0)), PromptWeights.parse(""));
        assertEquals(List.of(seg("", 1.0)), PromptWeights.parse("()"));
    }

    @Test
    void roundBracketsMultiplyByOnePointOne() {
        assertEquals(List.of(seg("an ", 1.0), seg("important", 1.1), seg(" word", 1.0)),
                PromptWeights.parse("an (important) word"));
    }

    @Test
    void squareBracketsDivideByOnePointOne() {
        assertEquals(List.of(seg("a ", 1.0), seg("faint", 1.0 / 1.1)), PromptWeights.parse("a [faint]"));
    }

    @Test
    void explicitWeightReplacesTheDefaultMultiplier() {
        assertEquals(List.of(seg("a ", 1.0), seg("red", 1.2), seg(" car", 1.0)),
                PromptWeights.parse("a (red:1.2) car"));
        assertEquals(List.of(seg("red ", 0.5)), PromptWeights.parse("(red : 0.5 )"));
        assertEquals(List.of(seg("red", -1.0)), PromptWeights.parse("(red:-1)"));
    }

    @Test
    void nestedBracketsMultiply() {
        assertEquals(List.of(seg("cat", 1.0 * 1.1 * 1.1)), PromptWeights.parse("((cat))"));
        assertEquals(List.of(seg("cat", 1.0 * 1.5 * (1 / 1.1))), PromptWeights.parse("[(cat:1.5)]"));
        assertEquals(List.of(
                        seg("a ", 1.0),
                        seg("house", 1.0 * 1.3 * 1.1 * 1.1),
                        seg(" ", 1.1),
                        seg("on", 1.0 * (1 / 1.1) * 1.1),
                        seg(" a ", 1.1),
                        seg("hill", 1.0 * 0.5 * 1.1),
                        seg(", sun, ", 1.1),
                        seg("sky", 1.0 * 1.1 * 1.1 * 1.1 * 1.1),
                        seg(".", 1.1)),
                PromptWeights.parse("a (((house:1.3)) [on] a (hill:0.5), sun, (((sky)))."));
    }

    @Test
    void backslashEscapesBracketsAndItself() {
        assertEquals(List.of(seg("(literal]", 1.0)), PromptWeights.parse("\\(literal\\]"));
        assertEquals(List.of(seg("a\\b", 1.0)), PromptWeights.parse("a\\\\b"));
        assertEquals(List.of(seg("smile :)", 1.0)), PromptWeights.parse("smile :\\)"));
    }

    @Test
    void closingBracketWithoutOpeningOneIsText() {
        assertEquals(List.of(seg("a) b] c:1.2)", 1.0)), PromptWeights.parse("a) b] c:1.2)"));
    }

    @Test
    void unclosedBracketWeighsTheRestOfThePrompt() {
        assertEquals(List.of(seg("unbalanced", 1.1)), PromptWeights.parse("(unbalanced"));
        assertEquals(List.of(seg("a ", 1.0), seg("b ", 1.0 / 1.1), seg("c", 1.0 * 1.1 * (1 / 1.1))),
                PromptWeights.parse("a [b (c"));
    }

    @Test
    void neighboursOfEqualWeightAreMerged() {
        assertEquals(List.of(seg("unnecessaryparens", 1.1)), PromptWeights.parse("(unnecessary)(parens)"));
    }

    @Test
    void colonOutsideAWeightIsText() {
        assertEquals(List.of(seg("16:9, <lora:foo:0.8>", 1.0)), PromptWeights.parse("16:9, <lora:foo:0.8>"));
    }

    @Test
    void malformedWeightStaysTextAndClosesTheBracket() {
        assertEquals(List.of(seg("a:1.2.3", 1.1)), PromptWeights.parse("(a:1.2.3)"));
    }

    @Test
    void breakKeywordSplitsTheChunkAndEatsSurroundingSpace() {
        assertEquals(List.of(seg("a cat", 1.0), Segment.BREAK, seg("a dog", 1.0)),
                PromptWeights.parse("a cat BREAK a dog"));
        assertEquals(List.of(seg("a ", 1.0), seg("cat", 1.1), Segment.BREAK, seg("dog", 1.1)),
                PromptWeights.parse("a (cat BREAK dog)"));
    }

    @Test
    void breakInsideAWordOrInLowerCaseIsText() {
        assertEquals(List.of(seg("breakfast BREAKFAST break", 1.0)),
                PromptWeights.parse("breakfast BREAKFAST break"));
    }
}
