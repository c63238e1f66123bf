package dev.osmosis.engine.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TileLayoutTest {
    @Test
    void tilesHaveFullLengthCoverTheAxisAndOverlapAtLeastAsAsked() {
        for (int size = 13; size <= 200; size++) {
            TileLayout t = TileLayout.of(size, 12, 4);
            assertEquals(0, t.start(0));
            assertEquals(size, t.end(t.count() - 1));
            for (int k = 1; k < t.count(); k++) {
                assertEquals(12, t.end(k) - t.start(k));
                assertTrue(t.end(k - 1) - t.start(k) >= 4, "size " + size + ", tile " + k);
                assertTrue(t.start(k) > t.start(k - 1));
            }
        }
    }

    @Test
    void weightsSumToOneAtEveryPixel() {
        int[][] cases = {{20, 12, 4}, {28, 12, 4}, {15, 8, 2}, {9, 8, 7}, {200, 64, 16}, {65, 64, 0}};
        for (int[] c : cases) {
            TileLayout t = TileLayout.of(c[0], c[1], c[2]);
            double[] sum = new double[c[0] * 8];
            for (int k = 0; k < t.count(); k++) {
                float[] w = t.weights(k, 8);
                for (int i = 0; i < w.length; i++) {
                    assertTrue(w[i] > 0 && w[i] <= 1, "weight " + w[i]);
                    sum[t.start(k) * 8 + i] += w[i];
                }
            }
            for (int p = 0; p < sum.length; p++) {
                assertEquals(1.0, sum[p], 1e-6, "size " + c[0] + " tile " + c[1] + " overlap " + c[2] + " at " + p);
            }
        }
    }

    @Test
    void twoTilesRampLinearlyAcrossTheirOverlap() {
        TileLayout t = TileLayout.of(6, 4, 2);
        assertEquals(2, t.count());
        assertArrayEquals(new float[] {1, 1, 0.75f, 0.25f}, t.weights(0, 1));
        assertArrayEquals(new float[] {0.25f, 0.75f, 1, 1}, t.weights(1, 1));
    }

    @Test
    void axisThatFitsOneTileIsOneTile() {
        TileLayout t = TileLayout.of(10, 12, 4);
        assertEquals(1, t.count());
        assertEquals(10, t.end(0));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, t.weights(0, 1));
    }

    @Test
    void overlapMustBeSmallerThanTheTile() {
        assertThrows(IllegalArgumentException.class, () -> TileLayout.of(100, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> TileLayout.of(100, 8, -1));
    }
}
