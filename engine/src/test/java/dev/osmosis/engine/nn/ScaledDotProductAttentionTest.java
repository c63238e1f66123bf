package dev.osmosis.engine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.nn.torchscript.FusedKernels;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The fused path of the one attention entry point against its matmul fallback. */
class ScaledDotProductAttentionTest {
    @Test
    void fusedPathEqualsMatmulPathWithAndWithoutCausalMask() {
        try (NDManager m = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
            m.getEngine().setRandomSeed(11);
            assertTrue(FusedKernels.available(m.zeros(new Shape(1))), "fused kernels should load here");
            for (int[] c : new int[][] {{2, 256, 256, 8, 40, 0}, {2, 64, 77, 8, 40, 0}, {2, 77, 77, 12, 64, 1}}) {
                NDArray q = m.randomNormal(new Shape(c[0], c[1], c[3] * c[4]));
                NDArray k = m.randomNormal(new Shape(c[0], c[2], c[3] * c[4]));
                NDArray v = m.randomNormal(new Shape(c[0], c[2], c[3] * c[4]));
                NDArray mask = c[5] == 1 ? causalMask(m, c[1]) : null;
                NDArray fused = ScaledDotProductAttention.attend(q, k, v, c[3], mask);
                NDArray plain;
                try (FusedKernels.Bypass off = FusedKernels.bypass()) {
                    plain = ScaledDotProductAttention.attend(q, k, v, c[3], mask);
                }
                assertEquals(plain.getShape(), fused.getShape());
                float max = plain.sub(fused).abs().max().getFloat();
                assertTrue(max <= 1e-5, Arrays.toString(c) + ": max abs difference " + max);
            }
        }
    }

    @Test
    void attentionStaysFloat32UnderBf16() {
        try (NDManager m = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
            NDArray q = m.randomNormal(new Shape(1, 32, 64));
            NDArray fp32 = ScaledDotProductAttention.attend(q, q, q, 2, null);
            NDArray underBf16;
            try (Precision.Scope p = Precision.use(Precision.BF16)) {
                underBf16 = ScaledDotProductAttention.attend(q, q, q, 2, null);
            }
            assertEquals(0f, fp32.sub(underBf16).abs().max().getFloat());
        }
    }

    private static NDArray causalMask(NDManager m, int n) {
        float[] mask = new float[n * n];
        for (int q = 0; q < n; q++) {
            Arrays.fill(mask, q * n + q + 1, (q + 1) * n, -Float.MAX_VALUE);
        }
        return m.create(mask, new Shape(n, n));
    }
}
