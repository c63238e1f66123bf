package dev.osmosis.engine.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompt text to UNet conditioning with AUTOMATIC1111's semantics: any length (75-token chunks, see
 * {@link PromptChunker}), each chunk encoded as its own 77-token sequence and the results joined
 * along the token axis ([1, 77 * chunks, D]), and emphasis applied A1111's "Original" way: the hidden
 * states are multiplied by each token's weight, then the chunk is rescaled so its mean is the mean
 * it had before weighting. A plain prompt of at most 75 tokens gives exactly the text encoder output.
 *
 * <p>Results belong to the text encoder's manager: close them, or call inside an NDScope. Working
 * arrays are freed before returning.
 */
public final class PromptEncoder {
    private final PromptChunker chunker;
    private final ClipTextEncoder encoder;

    public PromptEncoder(ClipTokenizer tokenizer, ClipTextEncoder encoder) {
        this(new PromptChunker(tokenizer), encoder);
    }

    public PromptEncoder(PromptChunker chunker, ClipTextEncoder encoder) {
        this.chunker = chunker;
        this.encoder = encoder;
    }

    /** A prompt and its negative prompt with the same number of chunks, ready to batch for guidance. */
    public record Conditioning(NDArray prompt, NDArray negative) {
        /** [negative; prompt] along the batch axis: diffusers' classifier-free guidance order (uncond first). */
        public NDArray cfgBatch() {
            return NDArrays.concat(new NDList(negative, prompt), 0);
        }
    }

    /** @return [1, 77 * chunks, D] */
    public NDArray encode(String prompt, int clipSkip) {
        return encodeChunks(chunker.chunks(prompt), clipSkip);
    }

    /** Both prompts padded to the larger chunk count with the empty prompt's chunk, as A1111 pads. */
    public Conditioning encodePair(String prompt, String negative, int clipSkip) {
        List<PromptChunk> positive = new ArrayList<>(chunker.chunks(prompt));
        List<PromptChunk> uncond = new ArrayList<>(chunker.chunks(negative));
        int count = Math.max(positive.size(), uncond.size());
        while (positive.size() < count) {
            positive.add(chunker.emptyChunk());
        }
        while (uncond.size() < count) {
            uncond.add(chunker.emptyChunk());
        }
        return new Conditioning(encodeChunks(positive, clipSkip), encodeChunks(uncond, clipSkip));
    }

    /** Encodes the chunks as one batch and lays them end to end: [1, 77 * chunks, D]. */
    public NDArray encodeChunks(List<PromptChunk> chunks, int clipSkip) {
        int count = chunks.size();
        int length = ClipTokenizer.SEQUENCE_LENGTH;
        long[] ids = new long[count * length];
        float[] multipliers = new float[count * length];
        boolean weighted = false;
        for (int c = 0; c < count; c++) {
            PromptChunk chunk = chunks.get(c);
            System.arraycopy(chunk.tokens(), 0, ids, c * length, length);
            System.arraycopy(chunk.multipliers(), 0, multipliers, c * length, length);
            weighted |= !chunk.isUnweighted();
        }
        NDManager model = encoder.manager();
        try (NDManager work = model.newSubManager()) {
            NDArray hidden = encoder.forward(work.create(ids, new Shape(count, length)), clipSkip);
            if (weighted) {
                hidden = emphasize(hidden, work.create(multipliers, new Shape(count, length, 1)));
            }
            NDArray joined = hidden.reshape(1, (long) count * length, hidden.getShape().get(2));
            joined.attach(model);
            return joined;
        }
    }

    /** Per chunk: z * w, scaled by mean(z) / mean(z * w) so emphasis shifts direction, not overall level. */
    private static NDArray emphasize(NDArray hidden, NDArray multipliers) {
        NDArray weighted = hidden.mul(multipliers);
        return weighted.mul(chunkMean(hidden).div(chunkMean(weighted)));
    }

    /** [chunks, N, D] -> [chunks, 1, 1] (this engine's mean reduces one axis at a time). */
    private static NDArray chunkMean(NDArray x) {
        long chunks = x.getShape().get(0);
        return x.reshape(chunks, -1).mean(new int[] {1}, true).reshape(chunks, 1, 1);
    }
}
