package dev.osmosis.engine.train.eval;

import dev.osmosis.engine.train.shapes.RenderedScene;
import dev.osmosis.engine.train.shapes.SceneObject;
import dev.osmosis.engine.train.shapes.ShapesDataset;
import java.util.List;

/**
 * The detector's own accuracy on ground truth: renders of both dataset splits, scored exactly as
 * generated images are. What it gets wrong here it would also get wrong on a perfect model.
 */
public final class DetectorCheck {
    /** Ground-truth seeds, apart from training (20240611) and evaluation prompt seeds. */
    static final long SEED = 99_001;

    private DetectorCheck() {}

    public static Tally run(int scenes) {
        ShapeDetector detector = new ShapeDetector();
        Tally tally = new Tally();
        ShapesDataset[] splits = {new ShapesDataset(SEED, ShapesDataset.Split.TRAIN),
            new ShapesDataset(SEED, ShapesDataset.Split.HELD_OUT)};
        for (int i = 0; i < scenes; i++) {
            RenderedScene scene = splits[i % 2].render(i / 2);
            List<SceneObject> expected = scene.scene().objects();
            List<ObjectMatch> matches = ObjectMatch.match(expected, detector.detect(scene.image()));
            tally.add(scene.scene().caption(), expected.size(), matches, detector.detect(scene.image()).size());
        }
        return tally;
    }
}
