package dev.osmosis.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A1111's chunking: 75-token chunks, comma backtracking, BREAK, per-token weights. */
class PromptChunkerTest {
    private static ClipTokenizer tokenizer;
    private static PromptChunker chunker;
    private static int cat;
    private static int dog;
    private static int comma;

    @BeforeAll
    static void load() {
        tokenizer = ClipTokenizer.bundled(false);
        chunker = new PromptChunker(tokenizer);
        cat = tokenizer.vocabId("cat</w>");
        dog = tokenizer.vocabId("dog</w>");
        comma = tokenizer.vocabId(",</w>");
    }

    private static String words(String word, int count) {
        return String.join(" ", java.util.Collections.nCopies(count, word));
    }

    /** The 75 prompt positions of a chunk (between bos and eos). */
    private static long[] body(PromptChunk chunk) {
        return Arrays.copyOfRange(chunk.tokens(), 1, 76);
    }

    private static long[] ids(Object... runs) {
        long[] out = new long[75];
        Arrays.fill(out, tokenizer.pad());
        int at = 0;
        for (int r = 0; r < runs.length; r += 2) {
            for (int i = 0; i < (Integer) runs[r + 1]; i++) {
                out[at++] = (Integer) runs[r];
            }
        }
        if (at < 75) {
            out[at] = tokenizer.eos();
        }
        return out;
    }

    @Test
    void shortPromptIsOneChunkLikeEncode77() {
        List<PromptChunk> chunks = chunker.chunks("a photo of a cat");
        assertEquals(1, chunks.size());
        assertArrayEquals(tokenizer.encode77("a photo of a cat"), chunks.get(0).tokens());
        assertTrue(chunks.get(0).isUnweighted());
    }

    @Test
    void emptyPromptIsTheEmptyChunk() {
        assertEquals(List.of(chunker.emptyChunk()), chunker.chunks(""));
        assertArrayEquals(tokenizer.encode77(""), chunker.emptyChunk().tokens());
    }

    @Test
    void exactly75TokensFitOneChunk() {
        List<PromptChunk> chunks = chunker.chunks(words("cat", 75));
        assertEquals(1, chunks.size());
        assertArrayEquals(ids(cat, 75), body(chunks.get(0)));
        assertEquals(tokenizer.eos(), chunks.get(0).tokens()[76]);
    }

    @Test
    void promptWithoutCommasBreaksAfterExactly75Tokens() {
        List<PromptChunk> chunks = chunker.chunks(words("cat", 100));
        assertEquals(2, chunks.size());
        assertArrayEquals(ids(cat, 75), body(chunks.get(0)));
        assertArrayEquals(ids(cat, 25), body(chunks.get(1)));
    }

    @Test
    void commaWithinTheLast20TokensMovesTheWordsAfterItToTheNextChunk() {
        List<PromptChunk> chunks = chunker.chunks(words("cat", 70) + ", " + words("dog", 10));
        assertEquals(2, chunks.size());
        assertArrayEquals(ids(cat, 70, comma, 1), body(chunks.get(0)));
        assertArrayEquals(ids(dog, 10), body(chunks.get(1)));
    }

    @Test
    void commaFurtherBackThan20TokensIsIgnored() {
        List<PromptChunk> chunks = chunker.chunks(words("cat", 50) + ", " + words("dog", 30));
        assertEquals(2, chunks.size());
        assertArrayEquals(ids(cat, 50, comma, 1, dog, 24), body(chunks.get(0)));
        assertArrayEquals(ids(dog, 6), body(chunks.get(1)));
    }

    @Test
    void zeroBacktrackAlwaysBreaksAfter75Tokens() {
        List<PromptChunk> chunks = new PromptChunker(tokenizer, 0).chunks(words("cat", 70) + ", " + words("dog", 10));
        assertArrayEquals(ids(cat, 70, comma, 1, dog, 4), body(chunks.get(0)));
        assertArrayEquals(ids(dog, 6), body(chunks.get(1)));
    }

    @Test
    void breakClosesTheChunk() {
        List<PromptChunk> chunks = chunker.chunks("cat cat BREAK dog");
        assertEquals(2, chunks.size());
        assertArrayEquals(ids(cat, 2), body(chunks.get(0)));
        assertArrayEquals(ids(dog, 1), body(chunks.get(1)));
    }

    @Test
    void eachTokenCarriesItsSegmentWeight() {
        PromptChunk chunk = chunker.chunks("cat (dog:1.5) [cat]").get(0);
        assertArrayEquals(ids(cat, 1, dog, 1, cat, 1), body(chunk));
        float[] expected = new float[77];
        Arrays.fill(expected, 1f);
        expected[2] = 1.5f;
        expected[3] = (float) (1 / 1.1);
        assertArrayEquals(expected, chunk.multipliers());
    }
}
