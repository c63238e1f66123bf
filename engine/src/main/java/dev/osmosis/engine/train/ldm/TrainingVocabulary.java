package dev.osmosis.engine.train.ldm;

import dev.osmosis.engine.text.ClipTokenizer;
import dev.osmosis.engine.train.shapes.CaptionVariants;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * The rows of CLIP's 49408-token embedding table that the shapes captions can reach (a few dozen).
 * During training the text encoder holds only these rows, in this order, and token ids are mapped
 * to their row: libtorch's embedding backward writes a dense gradient of the whole table, and AdamW
 * would then update 3 million numbers per step to move a few thousand. At export the rows go back
 * to their places in the full table, so the shipped encoder takes real CLIP token ids.
 */
public final class TrainingVocabulary {
    private final int[] ids;

    private TrainingVocabulary(int[] ids) {
        this.ids = ids;
    }

    /** bos, eos (also the pad token) and every token of every caption word. */
    public static TrainingVocabulary forShapes(ClipTokenizer tokenizer) {
        TreeSet<Integer> ids = new TreeSet<>();
        ids.add(tokenizer.bos());
        ids.add(tokenizer.eos());
        ids.add(tokenizer.pad());
        for (String word : CaptionVariants.words()) {
            for (int id : tokenizer.tokenize(word)) {
                ids.add(id);
            }
        }
        return new TrainingVocabulary(ids.stream().mapToInt(Integer::intValue).toArray());
    }

    public int size() {
        return ids.length;
    }

    /** The CLIP id of compact row {@code row}. */
    public int clipId(int row) {
        return ids[row];
    }

    /** CLIP ids to compact rows; an id outside the vocabulary is a caption this world cannot produce. */
    public long[] toRows(long[] clipIds) {
        long[] rows = new long[clipIds.length];
        for (int i = 0; i < clipIds.length; i++) {
            int row = Arrays.binarySearch(ids, (int) clipIds[i]);
            if (row < 0) {
                throw new IllegalArgumentException("token " + clipIds[i] + " is not in the training vocabulary");
            }
            rows[i] = row;
        }
        return rows;
    }
}
