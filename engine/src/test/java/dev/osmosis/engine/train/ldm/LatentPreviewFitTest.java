package dev.osmosis.engine.train.ldm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatentPreviewFitTest {
    @Test
    void normalEquationsAreSolvedExactly() {
        // x = (1, 2, 3) and (-1, 0, 4) for two right-hand sides of a well-conditioned 3x3 system
        double[][] a = {{2, 1, 0}, {1, 3, 1}, {0, 1, 4}};
        double[][] b = {{4, -2}, {10, 3}, {14, 16}};
        double[][] x = LatentPreviewFit.solve(a, b);
        double[][] expected = {{1, -1}, {2, 0}, {3, 4}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(expected[i][j], x[i][j], 1e-12);
            }
        }
    }
}
