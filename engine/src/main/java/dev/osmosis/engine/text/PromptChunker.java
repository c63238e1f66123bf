package dev.osmosis.engine.text;

import dev.osmosis.engine.text.PromptWeights.Segment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a prompt of any length into 75-token chunks the way AUTOMATIC1111 does: each emphasis
 * segment is tokenized on its own and its tokens carry the segment's weight; {@code BREAK} closes
 * the current chunk; and when a chunk is full while a comma lies within the last
 * {@code commaBacktrack} tokens (A1111's default 20), the words after that comma move to the next
 * chunk so a phrase is not cut in two. Otherwise chunks break after exactly 75 tokens.
 */
public final class PromptChunker {
    /** A1111's "comma_padding_backtrack" default. */
    public static final int DEFAULT_COMMA_BACKTRACK = 20;

    private final ClipTokenizer tokenizer;
    private final int commaBacktrack;
    private final int comma;

    public PromptChunker(ClipTokenizer tokenizer) {
        this(tokenizer, DEFAULT_COMMA_BACKTRACK);
    }

    /** @param commaBacktrack how far back a comma may be to move the tail to the next chunk; 0 never does */
    public PromptChunker(ClipTokenizer tokenizer, int commaBacktrack) {
        if (commaBacktrack < 0 || commaBacktrack > ClipTokenizer.MAX_TOKENS) {
            throw new IllegalArgumentException("commaBacktrack must be 0.." + ClipTokenizer.MAX_TOKENS);
        }
        this.tokenizer = tokenizer;
        this.commaBacktrack = commaBacktrack;
        this.comma = tokenizer.vocabId(",</w>");
    }

    /** The chunks of a prompt, at least one (an empty prompt gives {@link #emptyChunk()}). */
    public List<PromptChunk> chunks(String prompt) {
        List<PromptChunk> chunks = new ArrayList<>();
        Filling current = new Filling();
        int lastComma = -1;
        for (Segment segment : PromptWeights.parse(prompt)) {
            if (segment.isBreak()) {
                chunks.add(current.close());
                current = new Filling();
                lastComma = -1;
                continue;
            }
            float weight = (float) segment.weight();
            for (int token : tokenizer.tokenize(segment.text())) {
                if (token == comma) {
                    lastComma = current.size();
                } else if (commaBacktrack > 0 && current.isFull() && lastComma >= 0
                        && current.size() - lastComma <= commaBacktrack) {
                    Filling tail = current.splitAfter(lastComma);
                    chunks.add(current.close());
                    current = tail;
                    lastComma = -1;
                }
                if (current.isFull()) {
                    chunks.add(current.close());
                    current = new Filling();
                    lastComma = -1;
                }
                current.add(token, weight);
            }
        }
        if (current.size() > 0 || chunks.isEmpty()) {
            chunks.add(current.close());
        }
        return chunks;
    }

    /** What shorter prompts are padded with to match a longer one: the chunk of the empty prompt. */
    public PromptChunk emptyChunk() {
        return new Filling().close();
    }

    /** The chunk being filled: up to 75 tokens and their weights. */
    private final class Filling {
        private final List<Integer> tokens = new ArrayList<>();
        private final List<Float> weights = new ArrayList<>();

        int size() {
            return tokens.size();
        }

        boolean isFull() {
            return tokens.size() == ClipTokenizer.MAX_TOKENS;
        }

        void add(int token, float weight) {
            tokens.add(token);
            weights.add(weight);
        }

        /** Removes and returns the tokens after {@code index}. */
        Filling splitAfter(int index) {
            Filling tail = new Filling();
            List<Integer> movedTokens = tokens.subList(index + 1, tokens.size());
            List<Float> movedWeights = weights.subList(index + 1, weights.size());
            tail.tokens.addAll(movedTokens);
            tail.weights.addAll(movedWeights);
            movedTokens.clear();
            movedWeights.clear();
            return tail;
        }

        PromptChunk close() {
            long[] ids = tokenizer.frame(tokens.stream().mapToInt(Integer::intValue).toArray());
            float[] multipliers = new float[ClipTokenizer.SEQUENCE_LENGTH];
            Arrays.fill(multipliers, 1f);
            for (int i = 0; i < weights.size(); i++) {
                multipliers[i + 1] = weights.get(i);
            }
            return new PromptChunk(ids, multipliers);
        }
    }
}
