package dev.osmosis.engine.train.shapes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShapesDatasetTest {
    private final ShapesDataset train = new ShapesDataset(1234, ShapesDataset.Split.TRAIN);

    @Test
    void sceneIsAPureFunctionOfSeedAndIndex() {
        RenderedScene a = train.render(17);
        RenderedScene b = new ShapesDataset(1234, ShapesDataset.Split.TRAIN).render(17);
        assertEquals(a.scene(), b.scene());
        assertArrayEquals(a.rgb(), b.rgb());
        assertArrayEquals(a.edges(), b.edges());
        assertFalse(a.scene().equals(train.scene(18)));
        assertFalse(a.scene().equals(new ShapesDataset(1235, ShapesDataset.Split.TRAIN).scene(17)));
    }

    @Test
    void theWorldCoversEveryAttribute() {
        Set<Palette> colours = EnumSet.noneOf(Palette.class);
        Set<ShapeKind> shapes = EnumSet.noneOf(ShapeKind.class);
        Set<SizeClass> sizes = EnumSet.noneOf(SizeClass.class);
        Set<GridPosition> positions = EnumSet.noneOf(GridPosition.class);
        Set<Integer> counts = new HashSet<>();
        Set<Boolean> gradients = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            Scene s = train.scene(i);
            counts.add(s.objects().size());
            gradients.add(s.background().isGradient());
            for (SceneObject o : s.objects()) {
                colours.add(o.colour());
                shapes.add(o.shape());
                sizes.add(o.size());
                positions.add(o.position());
                assertFalse(ShapesDataset.isHeldOut(o.shape(), o.colour()), s.caption());
                assertFalse(s.background().uses(o.colour()), s.caption());
            }
        }
        assertTrue(colours.size() >= 8 && shapes.size() >= 6, colours + " " + shapes);
        assertEquals(3, sizes.size());
        assertEquals(9, positions.size());
        assertEquals(Set.of(1, 2), counts);
        assertEquals(Set.of(true, false), gradients);
    }

    @Test
    void heldOutSplitAsksForPairsNeverSeenInTraining() {
        ShapesDataset heldOut = new ShapesDataset(99, ShapesDataset.Split.HELD_OUT);
        for (int i = 0; i < 200; i++) {
            SceneObject first = heldOut.scene(i).objects().get(0);
            assertTrue(ShapesDataset.isHeldOut(first.shape(), first.colour()));
        }
    }

    @Test
    void captionSaysWhatIsDrawn() {
        Scene one = new Scene(java.util.List.of(new SceneObject(ShapeKind.CIRCLE, Palette.RED, SizeClass.SMALL,
                GridPosition.TOP_LEFT, 0, 0)), new Background(Palette.BLUE, null));
        assertEquals("a small red circle at the top left on a blue background", one.caption());
        Scene two = new Scene(java.util.List.of(
                new SceneObject(ShapeKind.STAR, Palette.GREEN, SizeClass.LARGE, GridPosition.LEFT, 0, 0),
                new SceneObject(ShapeKind.SQUARE, Palette.YELLOW, SizeClass.SMALL, GridPosition.RIGHT, 0, 0)),
                new Background(Palette.WHITE, Palette.BLACK));
        assertEquals("a green star on the left and a yellow square on the right on a white to black gradient background",
                two.caption());
    }

    @Test
    void masksCoverTheObjectColourAndEdgesLieOnMasks() {
        for (int i = 0; i < 50; i++) {
            RenderedScene r = train.render(i);
            for (int o = 0; o < r.masks().length; o++) {
                Palette colour = r.scene().objects().get(o).colour();
                int covered = 0;
                int right = 0;
                for (int p = 0; p < r.size() * r.size(); p++) {
                    if (interior(r.masks()[o], p, r.size())) {
                        covered++;
                        if (Palette.nearest(r.rgb()[3 * p] & 0xff, r.rgb()[3 * p + 1] & 0xff, r.rgb()[3 * p + 2] & 0xff) == colour) {
                            right++;
                        }
                    }
                }
                assertTrue(covered > 5, "object " + o + " of scene " + i + " covers " + covered + " pixels");
                assertTrue(right > 0.9 * covered, r.scene().caption() + ": " + right + "/" + covered);
            }
            boolean anyEdge = false;
            for (int p = 0; p < r.edges().length; p++) {
                if (r.edges()[p]) {
                    anyEdge = true;
                    boolean onMask = false;
                    for (boolean[] m : r.masks()) {
                        onMask |= m[p];
                    }
                    assertTrue(onMask);
                }
            }
            assertTrue(anyEdge);
        }
    }

    /** Inside the mask with all four neighbours: anti-aliased rims mix colours by design. */
    private static boolean interior(boolean[] mask, int p, int size) {
        int x = p % size;
        int y = p / size;
        return mask[p] && x > 0 && y > 0 && x < size - 1 && y < size - 1
                && mask[p - 1] && mask[p + 1] && mask[p - size] && mask[p + size];
    }

    @Test
    void objectsStandOutFromTheBackgroundBehindThemEvenOnGradients() {
        for (ShapesDataset.Split split : ShapesDataset.Split.values()) {
            ShapesDataset dataset = new ShapesDataset(4321, split);
            for (int i = 0; i < 2000; i++) {
                Scene s = dataset.scene(i);
                for (SceneObject o : s.objects()) {
                    for (double v = o.centerY() - o.size().radius; v <= o.centerY() + o.size().radius; v += 0.01) {
                        int[] bg = s.background().rgbAt(Math.max(0, Math.min(1, v)));
                        double d = Math.sqrt(Math.pow(bg[0] - o.colour().r, 2) + Math.pow(bg[1] - o.colour().g, 2)
                                + Math.pow(bg[2] - o.colour().b, 2));
                        assertTrue(d >= ShapesDataset.MIN_CONTRAST - 1, s.caption() + " at " + v + ": " + d);
                    }
                }
            }
        }
    }
}
