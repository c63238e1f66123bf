package dev.osmosis.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.osmosis.engine.io.ModelFormatException;
import dev.osmosis.engine.testing.Fixtures;
import dev.osmosis.engine.testing.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Id-exact parity with transformers' slow CLIPTokenizer (reference/tokenizer.safetensors). */
class ClipTokenizerTest {
    private static final int SD1_EOS = 49407;

    private static Reference ref;
    private static List<String> prompts;
    private static ClipTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        ref = Reference.of("tokenizer.safetensors");
        prompts = Arrays.asList(new ObjectMapper().readValue(
                Fixtures.reference("prompts.json").toFile(), String[].class));
        tokenizer = ClipTokenizer.load(Fixtures.tinySd1().resolve("tokenizer"));
    }

    @AfterAll
    static void close() {
        ref.close();
    }

    @Test
    void specialIdsComeFromTheTokenizerFiles() {
        assertEquals(49406, tokenizer.bos());
        assertEquals(SD1_EOS, tokenizer.eos());
        assertEquals(SD1_EOS, tokenizer.pad());
    }

    @Test
    void encode77MatchesTruncatedPaddedReferenceIds() {
        long[] expected = ref.longs("out.input_ids");
        for (int p = 0; p < prompts.size(); p++) {
            long[] row = Arrays.copyOfRange(expected, p * 77, (p + 1) * 77);
            assertArrayEquals(row, tokenizer.encode77(prompts.get(p)), "prompt " + p + ": " + prompts.get(p));
        }
    }

    @Test
    void tokenizeMatchesUntruncatedReferenceIds() {
        assertUntruncatedIds(tokenizer);
    }

    @Test
    void bundledVocabularyTokenizesLikeTheSd1TokenizerFolder() {
        ClipTokenizer bundled = ClipTokenizer.bundled(false);
        assertEquals(SD1_EOS, bundled.pad());
        assertUntruncatedIds(bundled);
    }

    @Test
    void repeatedWordsGiveTheSameIdsFromTheCache() {
        int[] first = tokenizer.tokenize("castle castle castle");
        assertEquals(3, first.length);
        assertEquals(first[0], first[2]);
        assertArrayEquals(first, tokenizer.tokenize("castle castle castle"));
    }

    @Test
    void sd2PaddingUsesExclamationMarkAndSplitsEveryExclamationMark() {
        ClipTokenizer sd2 = ClipTokenizer.bundled(true);
        assertEquals(0, sd2.pad());
        assertEquals(SD1_EOS, sd2.eos());
        int wow = sd2.tokenize("wow")[0];
        assertArrayEquals(new int[] {wow, 0, 0, 0}, sd2.tokenize("wow!!!"));
        long[] ids = sd2.encode77("wow");
        assertEquals(49406, ids[0]);
        assertEquals(wow, ids[1]);
        assertEquals(SD1_EOS, ids[2]);
        assertEquals(0, ids[3]);
        assertEquals(0, ids[76]);
    }

    @Test
    void padTokenIsReadFromSpecialTokensMap(@TempDir Path dir) throws IOException {
        Path source = Fixtures.path("clip-tokenizer");
        Files.copy(source.resolve("vocab.json"), dir.resolve("vocab.json"));
        Files.copy(source.resolve("merges.txt"), dir.resolve("merges.txt"));
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"pad_token\": {\"content\": \"!\"}}");
        ClipTokenizer sd2 = ClipTokenizer.load(dir);
        assertEquals(0, sd2.pad());
        assertArrayEquals(new int[] {0, 0}, sd2.tokenize("!!"));
    }

    @Test
    void missingVocabularyIsAModelFormatErrorNamingTheFolder(@TempDir Path dir) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(dir));
        assertEquals(true, e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void longPromptsAreTruncatedTo75TokensBetweenBosAndEos() {
        long[] ids = tokenizer.encode77("cat ".repeat(100));
        assertEquals(77, ids.length);
        assertEquals(49406, ids[0]);
        assertEquals(tokenizer.tokenize("cat")[0], ids[75]);
        assertEquals(SD1_EOS, ids[76]);
    }

    private static void assertUntruncatedIds(ClipTokenizer tok) {
        long[] flat = ref.longs("out.untruncated_ids_flat");
        long[] lengths = ref.longs("out.untruncated_len");
        int offset = 0;
        for (int p = 0; p < prompts.size(); p++) {
            int n = (int) lengths[p];
            long[] expected = Arrays.copyOfRange(flat, offset + 1, offset + n - 1);
            long[] actual = Arrays.stream(tok.tokenize(prompts.get(p))).asLongStream().toArray();
            assertArrayEquals(expected, actual, "prompt " + p + ": " + prompts.get(p));
            assertEquals(tok.bos(), flat[offset]);
            assertEquals(tok.eos(), flat[offset + n - 1]);
            offset += n;
        }
        assertEquals(flat.length, offset);
    }
}
