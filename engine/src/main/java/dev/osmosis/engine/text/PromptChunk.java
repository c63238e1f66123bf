package dev.osmosis.engine.text;

import java.util.Arrays;

/**
 * One text-encoder pass worth of prompt: {@link ClipTokenizer#SEQUENCE_LENGTH} token ids (bos, up to
 * 75 prompt tokens, eos, padding) and the emphasis multiplier of each position (1 for bos, eos and
 * padding).
 */
public record PromptChunk(long[] tokens, float[] multipliers) {
    public PromptChunk {
        if (tokens.length != ClipTokenizer.SEQUENCE_LENGTH || multipliers.length != tokens.length) {
            throw new IllegalArgumentException("a prompt chunk holds " + ClipTokenizer.SEQUENCE_LENGTH
                    + " tokens and multipliers, got " + tokens.length + " and " + multipliers.length);
        }
    }

    /** True when no position is emphasised, so the encoder output needs no reweighting. */
    public boolean isUnweighted() {
        for (float m : multipliers) {
            if (m != 1f) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptChunk c && Arrays.equals(tokens, c.tokens) && Arrays.equals(multipliers, c.multipliers);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(tokens) + Arrays.hashCode(multipliers);
    }

    @Override
    public String toString() {
        return "PromptChunk" + Arrays.toString(tokens) + " x " + Arrays.toString(multipliers);
    }
}
