package dev.osmosis.engine.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.osmosis.engine.io.ModelFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CLIP tokenizer of Stable Diffusion, id-exact with transformers' slow {@code CLIPTokenizer}
 * without ftfy: special tokens written in the text are split out first, the rest is cleaned up
 * ({@link BasicTokenizer}), cut into pieces by CLIP's regex and byte-pair encoded. SD1 pads the
 * 77-token sequence with {@code <|endoftext|>}, SD2 with {@code !} (id 0).
 */
public final class ClipTokenizer {
    /** Tokens between bos and eos in one text-encoder pass. */
    public static final int MAX_TOKENS = 75;
    /** bos + {@link #MAX_TOKENS} + eos: the text encoder's input length. */
    public static final int SEQUENCE_LENGTH = MAX_TOKENS + 2;

    static final String START_OF_TEXT = "<|startoftext|>";
    static final String END_OF_TEXT = "<|endoftext|>";
    /** SD2's pad token. */
    static final String EXCLAMATION = "!";

    private static final String BUNDLED = "/dev/osmosis/engine/text/clip/";
    private static final Pattern PIECES = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|\\p{L}+|\\p{N}|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

    private final BytePairEncoding bpe;
    /** Literal text -> id of every token that is never split, longest first so the longest match wins. */
    private final Map<String, Integer> specials;
    private final int bos;
    private final int eos;
    private final int pad;

    private ClipTokenizer(BytePairEncoding bpe, Map<String, Integer> specials, String bos, String eos, String pad) {
        this.bpe = bpe;
        Map<String, Integer> sorted = new LinkedHashMap<>();
        specials.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getKey().length()).reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        this.specials = sorted;
        this.bos = specials.get(bos);
        this.eos = specials.get(eos);
        this.pad = specials.get(pad);
    }

    /**
     * Reads a diffusers/transformers tokenizer folder: vocab.json, merges.txt, and the special tokens
     * from tokenizer_config.json and special_tokens_map.json (the latter wins, as in transformers).
     */
    public static ClipTokenizer load(Path tokenizerDir) {
        Path vocab = tokenizerDir.resolve("vocab.json");
        Path merges = tokenizerDir.resolve("merges.txt");
        Map<String, String> roles = new LinkedHashMap<>(Map.of(
                "bos_token", START_OF_TEXT, "eos_token", END_OF_TEXT, "unk_token", END_OF_TEXT,
                "pad_token", END_OF_TEXT));
        Map<String, Integer> added = new LinkedHashMap<>();
        JsonNode config = readJson(tokenizerDir.resolve("tokenizer_config.json"));
        if (config != null) {
            readRoles(config, roles);
            readAddedTokens(config.path("added_tokens_decoder"), added);
        }
        JsonNode map = readJson(tokenizerDir.resolve("special_tokens_map.json"));
        if (map != null) {
            readRoles(map, roles);
        }
        BytePairEncoding bpe;
        try (InputStream v = Files.newInputStream(vocab); InputStream m = Files.newInputStream(merges)) {
            bpe = BytePairEncoding.read(v, vocab.toString(), m, merges.toString(), roles.get("unk_token"));
        } catch (IOException e) {
            throw new ModelFormatException(tokenizerDir + ": cannot read vocab.json/merges.txt (" + e.getMessage() + ")",
                    e);
        }
        return create(bpe, roles, added, vocab.toString());
    }

    /**
     * The CLIP vocabulary shipped with the engine, for single-file checkpoints that carry no tokenizer
     * folder. {@code sd2Padding} selects SD2's {@code !} pad token (which then is also never merged
     * with neighbouring characters, exactly as SD2's tokenizer does).
     */
    public static ClipTokenizer bundled(boolean sd2Padding) {
        Map<String, String> roles = new LinkedHashMap<>(Map.of(
                "bos_token", START_OF_TEXT, "eos_token", END_OF_TEXT, "unk_token", END_OF_TEXT,
                "pad_token", sd2Padding ? EXCLAMATION : END_OF_TEXT));
        return create(BundledVocabulary.BPE, roles, Map.of(), "bundled CLIP vocabulary");
    }

    private static ClipTokenizer create(BytePairEncoding bpe, Map<String, String> roles, Map<String, Integer> added,
            String source) {
        Map<String, Integer> specials = new LinkedHashMap<>(added);
        for (Map.Entry<String, String> role : roles.entrySet()) {
            String token = role.getValue();
            if (!specials.containsKey(token)) {
                int id = bpe.id(token);
                if (id < 0) {
                    throw new ModelFormatException(source + ": " + role.getKey() + " '" + token
                            + "' is not in the vocabulary");
                }
                specials.put(token, id);
            }
        }
        return new ClipTokenizer(bpe, specials, roles.get("bos_token"), roles.get("eos_token"),
                roles.get("pad_token"));
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + ")", e);
        }
    }

    /** A role is either a plain string or an AddedToken object with a "content" field. */
    private static void readRoles(JsonNode node, Map<String, String> roles) {
        for (String role : List.copyOf(roles.keySet())) {
            JsonNode value = node.get(role);
            if (value != null && value.isTextual()) {
                roles.put(role, value.asText());
            } else if (value != null && value.hasNonNull("content")) {
                roles.put(role, value.get("content").asText());
            }
        }
    }

    private static void readAddedTokens(JsonNode decoder, Map<String, Integer> added) {
        for (Iterator<Map.Entry<String, JsonNode>> it = decoder.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String content = e.getValue().path("content").asText(null);
            if (content != null && !content.isEmpty()) {
                added.put(content, Integer.parseInt(e.getKey()));
            }
        }
    }

    /** Token ids of the text without bos/eos and without truncation. */
    public int[] tokenize(String text) {
        List<Integer> ids = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            String special = specialAt(text, i);
            if (special == null) {
                i++;
                continue;
            }
            encodeText(text.substring(start, i), ids);
            ids.add(specials.get(special));
            i += special.length();
            start = i;
        }
        encodeText(text.substring(start), ids);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private String specialAt(String text, int index) {
        for (String special : specials.keySet()) {
            if (text.startsWith(special, index)) {
                return special;
            }
        }
        return null;
    }

    private void encodeText(String text, List<Integer> ids) {
        if (text.isEmpty()) {
            return;
        }
        Matcher pieces = PIECES.matcher(BasicTokenizer.normalize(text));
        while (pieces.find()) {
            String piece = pieces.group();
            // CLIP maps its special tokens to themselves even when they reach the BPE as text
            if (piece.equals(START_OF_TEXT) || piece.equals(END_OF_TEXT)) {
                ids.add(bpe.id(piece));
            } else {
                bpe.encode(piece, ids);
            }
        }
    }

    /** bos, at most {@link #MAX_TOKENS} tokens of the text, eos, then pad up to {@link #SEQUENCE_LENGTH}. */
    public long[] encode77(String text) {
        return frame(tokenize(text));
    }

    /** Wraps token ids (truncated to {@link #MAX_TOKENS}) in bos/eos and pads them to {@link #SEQUENCE_LENGTH}. */
    public long[] frame(int[] tokens) {
        long[] ids = new long[SEQUENCE_LENGTH];
        Arrays.fill(ids, pad);
        ids[0] = bos;
        int n = Math.min(tokens.length, MAX_TOKENS);
        for (int i = 0; i < n; i++) {
            ids[i + 1] = tokens[i];
        }
        ids[n + 1] = eos;
        return ids;
    }

    /** The id of a vocabulary entry such as {@code ",</w>"}, or -1 when there is none. */
    public int vocabId(String token) {
        return bpe.id(token);
    }

    public int bos() {
        return bos;
    }

    public int eos() {
        return eos;
    }

    public int pad() {
        return pad;
    }

    /** Parsed once per process: the vocabulary and merges take a noticeable moment to read. */
    private static final class BundledVocabulary {
        static final BytePairEncoding BPE = read();

        private static BytePairEncoding read() {
            try (InputStream vocab = open("vocab.json"); InputStream merges = open("merges.txt")) {
                return BytePairEncoding.read(vocab, BUNDLED + "vocab.json", merges, BUNDLED + "merges.txt",
                        END_OF_TEXT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static InputStream open(String name) {
            InputStream in = ClipTokenizer.class.getResourceAsStream(BUNDLED + name);
            if (in == null) {
                throw new IllegalStateException("engine resource missing: " + BUNDLED + name);
            }
            return in;
        }
    }
}
