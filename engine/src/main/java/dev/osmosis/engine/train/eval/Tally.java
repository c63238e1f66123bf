package dev.osmosis.engine.train.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Counts of right attributes over objects and images, by kind of prompt. */
public final class Tally {
    /** One group of objects (all, single-object prompts, held-out pairs, ...). */
    public static final class Group {
        int objects;
        int colour;
        int shape;
        int position;
        int size;
        int sizeAsked;
        int allThree;
        int images;
        int imagesRight;
        int countRight;

        void add(List<ObjectMatch> matches, boolean sizeCounts, boolean countRight) {
            images++;
            boolean all = true;
            for (ObjectMatch m : matches) {
                objects++;
                colour += m.colour() ? 1 : 0;
                shape += m.shape() ? 1 : 0;
                position += m.position() ? 1 : 0;
                allThree += m.allRight() ? 1 : 0;
                if (sizeCounts) {
                    sizeAsked++;
                    size += m.size() ? 1 : 0;
                }
                all &= m.allRight();
            }
            imagesRight += all ? 1 : 0;
            this.countRight += countRight ? 1 : 0;
        }

        public double colour() {
            return ratio(colour, objects);
        }

        public double shape() {
            return ratio(shape, objects);
        }

        public double position() {
            return ratio(position, objects);
        }

        public double allThree() {
            return ratio(allThree, objects);
        }

        public double size() {
            return ratio(size, sizeAsked);
        }

        public double imagesRight() {
            return ratio(imagesRight, images);
        }

        public double countRight() {
            return ratio(countRight, images);
        }

        public int objects() {
            return objects;
        }

        public int images() {
            return images;
        }

        private static double ratio(int n, int d) {
            return d == 0 ? Double.NaN : (double) n / d;
        }
    }

    public final Group all = new Group();
    public final Group single = new Group();
    public final Group two = new Group();
    public final Group heldOut = new Group();
    public final Group novel = new Group();
    public final List<String> failures = new ArrayList<>();

    /** Adds one image; {@code heldOutPair} null when the prompt kind is not tracked. */
    public void add(String caption, int expectedCount, List<ObjectMatch> matches, int detectedCount) {
        add(caption, expectedCount, matches, detectedCount, null);
    }

    public void add(String caption, int expectedCount, List<ObjectMatch> matches, int detectedCount,
            Boolean heldOutPair) {
        boolean countRight = detectedCount == expectedCount;
        boolean one = expectedCount == 1;
        all.add(matches, one, countRight);
        (one ? single : two).add(matches, one, countRight);
        if (heldOutPair != null) {
            (heldOutPair ? heldOut : novel).add(matches, one, countRight);
        }
        if (!matches.stream().allMatch(ObjectMatch::allRight) && failures.size() < 40) {
            StringBuilder s = new StringBuilder(caption).append(" -> ");
            for (ObjectMatch m : matches) {
                s.append(m.detected() == null ? "nothing" : m.detected().colour().word() + " "
                        + m.detected().shape().word() + " " + m.detected().position().phrase).append("; ");
            }
            failures.add(s.toString());
        }
    }

    public static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
    }
}
