package dev.osmosis.engine.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.osmosis.engine.io.ModelFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP's byte-level BPE: a word's UTF-8 bytes become printable stand-in characters (GPT-2's table),
 * the last one gets the {@code </w>} end-of-word marker, and the lowest-ranked adjacent pair is merged
 * until no ranked pair is left. Each distinct word is encoded once and cached, since prompts repeat
 * the same few hundred words.
 */
final class BytePairEncoding {
    static final String END_OF_WORD = "</w>";

    /** transformers' CLIPTokenizer reads only this many merges (49152 - 256 bytes - 2 specials). */
    private static final int MAX_MERGES = 49152 - 256 - 2;
    /** Keeps a long-running process from growing the cache without bound on unusual inputs. */
    private static final int MAX_CACHED_WORDS = 200_000;
    private static final char[] BYTE_TO_CHAR = byteToChar();

    private final Map<String, Integer> vocab;
    private final Map<String, Integer> ranks;
    private final int unknownId;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    BytePairEncoding(Map<String, Integer> vocab, Map<String, Integer> ranks, int unknownId) {
        this.vocab = vocab;
        this.ranks = ranks;
        this.unknownId = unknownId;
    }

    /** Reads vocab.json (token -> id) and merges.txt (one "left right" pair a line after a header line). */
    static BytePairEncoding read(InputStream vocabJson, String vocabName, InputStream mergesTxt, String mergesName,
            String unknownToken) {
        Map<String, Integer> vocab = readVocab(vocabJson, vocabName);
        Map<String, Integer> ranks = readMerges(mergesTxt, mergesName);
        Integer unknownId = vocab.get(unknownToken);
        if (unknownId == null) {
            throw new ModelFormatException(vocabName + ": unknown token '" + unknownToken + "' is not in the vocabulary");
        }
        return new BytePairEncoding(vocab, ranks, unknownId);
    }

    private static Map<String, Integer> readVocab(InputStream in, String name) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new ModelFormatException(name + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(name + ": expected a JSON object mapping tokens to ids");
        }
        Map<String, Integer> vocab = new HashMap<>(root.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToInt()) {
                throw new ModelFormatException(name + ": id of token '" + e.getKey() + "' is not an integer");
            }
            vocab.put(e.getKey(), e.getValue().intValue());
        }
        return vocab;
    }

    private static Map<String, Integer> readMerges(InputStream in, String name) {
        Map<String, Integer> ranks = new HashMap<>(MAX_MERGES * 2);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            // the first line is a "#version" header, skipped unread like transformers does
            reader.readLine();
            String line;
            int rank = 0;
            while ((line = reader.readLine()) != null && rank < MAX_MERGES) {
                String[] pair = line.trim().split("\\s+");
                if (pair.length == 2) {
                    ranks.put(pairKey(pair[0], pair[1]), rank);
                } else if (!line.isBlank()) {
                    throw new ModelFormatException(name + ": line " + (rank + 2) + " is not a pair of symbols");
                }
                rank++;
            }
        } catch (IOException e) {
            throw new ModelFormatException(name + ": cannot be read (" + e.getMessage() + ")", e);
        }
        return ranks;
    }

    /** The id of a vocabulary entry, or -1. */
    int id(String token) {
        Integer id = vocab.get(token);
        return id == null ? -1 : id;
    }

    /** Ids of one pre-tokenized word (a piece of the CLIP regex), appended to {@code out}. */
    void encode(String word, List<Integer> out) {
        int[] ids = cache.get(word);
        if (ids == null) {
            ids = toIds(merge(symbols(word)));
            if (cache.size() >= MAX_CACHED_WORDS) {
                cache.clear();
            }
            cache.put(word, ids);
        }
        for (int id : ids) {
            out.add(id);
        }
    }

    private static List<String> symbols(String word) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        List<String> symbols = new ArrayList<>(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            String s = String.valueOf(BYTE_TO_CHAR[bytes[i] & 0xff]);
            symbols.add(i == bytes.length - 1 ? s + END_OF_WORD : s);
        }
        return symbols;
    }

    private List<String> merge(List<String> word) {
        while (word.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            int best = -1;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer rank = ranks.get(pairKey(word.get(i), word.get(i + 1)));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            word = mergeAll(word, word.get(best), word.get(best + 1));
        }
        return word;
    }

    /** Joins every non-overlapping occurrence of (first, second), scanning left to right. */
    private static List<String> mergeAll(List<String> word, String first, String second) {
        List<String> merged = new ArrayList<>(word.size());
        int i = 0;
        while (i < word.size()) {
            if (i + 1 < word.size() && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
                merged.add(first + second);
                i += 2;
            } else {
                merged.add(word.get(i));
                i++;
            }
        }
        return merged;
    }

    private int[] toIds(List<String> symbols) {
        int[] ids = new int[symbols.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocab.getOrDefault(symbols.get(i), unknownId);
        }
        return ids;
    }

    private static String pairKey(String first, String second) {
        // symbols never contain a space (byte 0x20 has a stand-in character), so it is a safe separator
        return first + ' ' + second;
    }

    /**
     * GPT-2's reversible byte -> character table: printable Latin-1 bytes stand for themselves, the
     * others (space, controls, ...) are shifted to U+0100 onward so no symbol is whitespace.
     */
    private static char[] byteToChar() {
        char[] table = new char[256];
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char) b : (char) (256 + shifted++);
        }
        return table;
    }
}
