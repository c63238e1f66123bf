package dev.osmosis.engine.train.eval;

import dev.osmosis.engine.train.eval.ShapeDetector.DetectedObject;
import dev.osmosis.engine.train.shapes.SceneObject;
import java.util.ArrayList;
import java.util.List;

/**
 * How one asked-for object came out: the detected object assigned to it and which of its
 * attributes are right. Objects are assigned one to one, choosing among all assignments the one
 * with the most right attributes (ties: the larger detections), so the score reads each image in
 * its most favourable way; an asked-for object left without a detection is wrong in every attribute.
 */
public record ObjectMatch(SceneObject expected, DetectedObject detected, boolean colour, boolean shape,
        boolean position, boolean size) {

    public boolean allRight() {
        return colour && shape && position;
    }

    static ObjectMatch of(SceneObject expected, DetectedObject detected) {
        if (detected == null) {
            return new ObjectMatch(expected, null, false, false, false, false);
        }
        return new ObjectMatch(expected, detected, detected.colour() == expected.colour(),
                detected.shape() == expected.shape(), detected.position() == expected.position(),
                detected.size() == expected.size());
    }

    private int score() {
        return (colour ? 1 : 0) + (shape ? 1 : 0) + (position ? 1 : 0);
    }

    /** The best one-to-one assignment of detections (largest first) to the expected objects. */
    public static List<ObjectMatch> match(List<SceneObject> expected, List<DetectedObject> detected) {
        List<ObjectMatch> best = null;
        int bestScore = -1;
        for (List<Integer> choice : assignments(expected.size(), detected.size())) {
            List<ObjectMatch> matches = new ArrayList<>();
            int score = 0;
            for (int i = 0; i < expected.size(); i++) {
                Integer d = choice.get(i);
                ObjectMatch m = of(expected.get(i), d == null ? null : detected.get(d));
                matches.add(m);
                score += m.score();
            }
            // earlier choices use larger detections; keep the first of equal scores
            if (score > bestScore) {
                bestScore = score;
                best = matches;
            }
        }
        return best;
    }

    /** Injective maps from expected objects to detection indices (null where detections run out). */
    private static List<List<Integer>> assignments(int expected, int detected) {
        List<List<Integer>> out = new ArrayList<>();
        extend(new ArrayList<>(), expected, detected, out);
        return out;
    }

    private static void extend(List<Integer> partial, int expected, int detected, List<List<Integer>> out) {
        if (partial.size() == expected) {
            out.add(new ArrayList<>(partial));
            return;
        }
        int remainingExpected = expected - partial.size();
        long used = partial.stream().filter(java.util.Objects::nonNull).count();
        boolean any = false;
        for (int d = 0; d < detected; d++) {
            if (!partial.contains(d)) {
                any = true;
                partial.add(d);
                extend(partial, expected, detected, out);
                partial.remove(partial.size() - 1);
            }
        }
        if (!any || detected - used < remainingExpected) {
            partial.add(null);
            extend(partial, expected, detected, out);
            partial.remove(partial.size() - 1);
        }
    }
}
