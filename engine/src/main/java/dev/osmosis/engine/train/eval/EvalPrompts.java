package dev.osmosis.engine.train.eval;

import dev.osmosis.engine.train.shapes.Scene;
import dev.osmosis.engine.train.shapes.ShapesDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The captions of the shapes evaluation, none of them a training caption. A quarter each:
 * single object with a held-out colour-shape pair (never seen together in training), two objects
 * whose first has a held-out pair, and single and two-object scenes of the training split whose
 * full caption no training scene has (new combinations of seen pairs, positions, sizes and
 * backgrounds).
 */
public final class EvalPrompts {
    /** Evaluation scenes come from their own seeds, apart from training's. */
    static final long HELD_OUT_SEED = 77_001;
    static final long NOVEL_SEED = 77_002;

    /** One evaluation caption and the scene it describes. */
    public record Prompt(String caption, Scene scene, boolean heldOutPair) {}

    private EvalPrompts() {}

    /**
     * @param count number of captions (each is then sampled with several seeds)
     * @param trainingCaptions full captions of the training scenes, to be avoided
     */
    public static List<Prompt> of(int count, Set<String> trainingCaptions) {
        int[] quota = new int[4];
        for (int i = 0; i < count; i++) {
            quota[i % 4]++;
        }
        List<Prompt> out = new ArrayList<>();
        pick(new ShapesDataset(HELD_OUT_SEED, ShapesDataset.Split.HELD_OUT), 1, quota[0], true, trainingCaptions, out);
        pick(new ShapesDataset(HELD_OUT_SEED, ShapesDataset.Split.HELD_OUT), 2, quota[1], true, trainingCaptions, out);
        pick(new ShapesDataset(NOVEL_SEED, ShapesDataset.Split.TRAIN), 1, quota[2], false, trainingCaptions, out);
        pick(new ShapesDataset(NOVEL_SEED, ShapesDataset.Split.TRAIN), 2, quota[3], false, trainingCaptions, out);
        return out;
    }

    private static void pick(ShapesDataset dataset, int objects, int wanted, boolean heldOut, Set<String> avoid,
            List<Prompt> out) {
        int found = 0;
        for (long i = 0; found < wanted; i++) {
            Scene scene = dataset.scene(i);
            String caption = scene.caption();
            if (scene.objects().size() == objects && !avoid.contains(caption)
                    && out.stream().noneMatch(p -> p.caption().equals(caption))) {
                out.add(new Prompt(caption, scene, heldOut));
                found++;
            }
        }
    }
}
