package dev.osmosis.engine.nn.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The TorchScript kernels against DJL's own ops on random inputs. */
class FusedKernelsTest {
    /** bfloat16 keeps 8 significant bits: inputs rounded by up to 2^-9 relative, products summed in fp32. */
    static final double BF16_RELATIVE = 2e-2;

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(7);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void kernelsLoadWithThePyTorchEngine() {
        assertEquals(java.util.Optional.empty(), FusedKernels.unavailableReason());
        assertEquals(java.util.Optional.empty(), FusedKernels.oneDnnUnavailableReason());
        assertTrue(FusedKernels.available(manager.zeros(new Shape(1))));
        assertTrue(FusedKernels.oneDnnAvailable(manager.zeros(new Shape(1))));
    }

    @Test
    void bypassHidesTheKernelsOnThisThreadOnly() throws Exception {
        NDArray x = manager.zeros(new Shape(1));
        try (FusedKernels.Bypass outer = FusedKernels.bypass()) {
            try (FusedKernels.Bypass inner = FusedKernels.bypass()) {
                assertFalse(FusedKernels.available(x));
                assertFalse(FusedKernels.oneDnnAvailable(x));
            }
            assertFalse(FusedKernels.available(x));
            boolean[] other = new boolean[1];
            Thread t = new Thread(() -> other[0] = FusedKernels.available(x));
            t.start();
            t.join();
            assertTrue(other[0]);
        }
        assertTrue(FusedKernels.available(x));
    }

    @Test
    void attentionEqualsTheMatmulPathWithAndWithoutCausalMask() {
        try (NDScope scope = new NDScope()) {
            // self-attention as in SD (4 heads of 40), cross-attention to 77 text tokens, CLIP's causal case
            assertClose(attention(2, 256, 256, 4, 40, false), 1e-5);
            assertClose(attention(2, 64, 77, 8, 16, false), 1e-5);
            assertClose(attention(2, 77, 77, 12, 64, true), 1e-5);
        }
    }

    @Test
    void bf16AttentionIsWithinBf16Rounding() {
        try (NDScope scope = new NDScope()) {
            NDArray[] qkv = {manager.randomNormal(new Shape(2, 128, 160)), manager.randomNormal(new Shape(2, 128, 160)),
                manager.randomNormal(new Shape(2, 128, 160))};
            NDArray fp32 = FusedKernels.attend(qkv[0], qkv[1], qkv[2], 4, null, false);
            NDArray bf16 = FusedKernels.attend(qkv[0], qkv[1], qkv[2], 4, null, true);
            assertRelative(fp32, bf16, BF16_RELATIVE);
            NDArray mask = causalMask(128);
            assertRelative(FusedKernels.attend(qkv[0], qkv[1], qkv[2], 4, mask, false),
                    FusedKernels.attend(qkv[0], qkv[1], qkv[2], 4, mask, true), BF16_RELATIVE);
        }
    }

    @Test
    void bf16LinearAndConvAreWithinBf16Rounding() {
        try (NDScope scope = new NDScope()) {
            NDArray x = manager.randomNormal(new Shape(2, 64, 320));
            NDArray w = manager.randomNormal(new Shape(640, 320)).div(Math.sqrt(320));
            NDArray b = manager.randomNormal(new Shape(640));
            assertRelative(Linear.linear(x, w, b).singletonOrThrow(), FusedKernels.linearBf16(x, w, b), BF16_RELATIVE);
            assertRelative(Linear.linear(x, w, null).singletonOrThrow(), FusedKernels.linearBf16(x, w, null), BF16_RELATIVE);

            NDArray image = manager.randomNormal(new Shape(2, 32, 16, 16));
            NDArray kernel = manager.randomNormal(new Shape(64, 32, 3, 3)).div(Math.sqrt(32 * 9));
            NDArray bias = manager.randomNormal(new Shape(64));
            NDArray fp32 = Conv2d.conv2d(image, kernel, bias, new Shape(2, 2), new Shape(1, 1), new Shape(1, 1), 1)
                    .singletonOrThrow();
            NDArray bf16 = FusedKernels.conv2d(image, kernel, bias, 2, 1, true);
            assertEquals(fp32.getShape(), bf16.getShape());
            assertRelative(fp32, bf16, BF16_RELATIVE);
            assertRelative(Conv2d.conv2d(image, kernel, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                    .singletonOrThrow(), FusedKernels.conv2d(image, kernel, null, 1, 1, true), BF16_RELATIVE);
        }
    }

    @Test
    void convEqualsDjlsConvAlsoOnAChannelsLastInput() {
        try (NDScope scope = new NDScope()) {
            // a channels-last view, as Transformer2DModel's output is: [B, H, W, C] transposed to NCHW
            NDArray image = manager.randomNormal(new Shape(2, 8, 8, 32)).transpose(0, 3, 1, 2);
            NDArray kernel = manager.randomNormal(new Shape(48, 32, 3, 3)).div(Math.sqrt(32 * 9));
            NDArray bias = manager.randomNormal(new Shape(48));
            for (int stride = 1; stride <= 2; stride++) {
                NDArray expected = Conv2d.conv2d(image, kernel, bias, new Shape(stride, stride), new Shape(1, 1),
                        new Shape(1, 1), 1).singletonOrThrow();
                assertClose(new NDArray[] {expected, FusedKernels.conv2d(image, kernel, bias, stride, 1, false)}, 1e-5);
            }
            NDArray pointwise = kernel.get(":, :, 1:2, 1:2");
            assertClose(new NDArray[] {Conv2d.conv2d(image, pointwise, null, new Shape(1, 1), new Shape(0, 0),
                new Shape(1, 1), 1).singletonOrThrow(), FusedKernels.conv2d(image, pointwise, null, 1, 0, false)}, 1e-5);
        }
    }

    @Test
    void resultsBelongToTheCallersScopeAndLeaveNothingBehind() {
        try (NDManager work = manager.newSubManager()) {
            NDArray q = work.randomNormal(new Shape(1, 16, 32));
            NDArray w = work.randomNormal(new Shape(32, 32));
            NDArray image = work.randomNormal(new Shape(1, 4, 8, 8));
            NDArray kernel = work.randomNormal(new Shape(4, 4, 3, 3));
            int baseline = work.getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                try (NDScope scope = new NDScope()) {
                    NDArray a = FusedKernels.attend(q, q, q, 2, null, i % 2 == 0);
                    FusedKernels.silu(image).close();
                    NDArray l = FusedKernels.linearBf16(q, w, null);
                    NDArray c = FusedKernels.conv2d(image, kernel, null, 1, 1, true);
                    assertEquals(work, a.getManager());
                    assertEquals(baseline + 3, work.getManagedArrays().size());
                    assertEquals(q.getShape(), a.getShape());
                    assertEquals(q.getShape(), l.getShape());
                    assertEquals(image.getShape(), c.getShape());
                }
                assertEquals(baseline, work.getManagedArrays().size(), "arrays left after call " + i);
            }
        }
    }

    @Test
    void resultsAreOrdinaryTensorsThatTakeInPlaceUpdates() {
        // results made under c10::InferenceMode would refuse this ("Inplace update to inference tensor")
        try (NDScope scope = new NDScope()) {
            NDArray q = manager.randomNormal(new Shape(1, 16, 32));
            NDArray image = manager.randomNormal(new Shape(1, 32, 4, 4));
            NDArray kernel = manager.randomNormal(new Shape(32, 32, 3, 3));
            NDArray gain = manager.ones(new Shape(32));
            for (NDArray out : new NDArray[] {FusedKernels.attend(q, q, q, 2, null, false),
                FusedKernels.attend(q, q, q, 2, causalMask(16), true), FusedKernels.silu(q),
                FusedKernels.groupNorm(image, 8, gain, gain.zerosLike(), 1e-5f, true),
                FusedKernels.linearOneDnn(q, kernel.get(":, :, 0, 0"), null), FusedKernels.linearBf16(q, kernel.get(":, :, 0, 0"), gain),
                FusedKernels.conv2d(image, kernel, gain, 1, 1, true)}) {
                float before = out.toFloatArray()[0];
                out.addi(1f);
                assertEquals(before + 1f, out.toFloatArray()[0], 1e-5f);
            }
        }
    }

    @Test
    void namedArraysAreNotMistakenForDjlsStructuredInputs() {
        try (NDScope scope = new NDScope()) {
            NDArray x = manager.randomNormal(new Shape(2, 8, 16));
            NDArray w = manager.randomNormal(new Shape(4, 16));
            // DJL's NDList entry reads "a.b" as a dict entry and "a[]" as a list element
            w.setName("to_q.weight");
            x.setName("tokens[]");
            NDArray out = FusedKernels.linearOneDnn(x, w, null);
            assertEquals(new Shape(2, 8, 4), out.getShape());
            assertClose(new NDArray[] {Linear.linear(x, w, null).singletonOrThrow(), out}, 1e-4);
            assertEquals("to_q.weight", w.getName());
        }
    }

    @Test
    void groupNormAndSiluEqualDjlsComposition() {
        try (NDScope scope = new NDScope()) {
            NDArray x = manager.randomNormal(new Shape(2, 64, 8, 8));
            NDArray gain = manager.randomNormal(new Shape(64));
            NDArray shift = manager.randomNormal(new Shape(64));
            NDArray grouped = x.reshape(2, 32, 2 * 64);
            NDArray mean = grouped.mean(new int[] {2}, true);
            NDArray var = grouped.sub(mean).square().mean(new int[] {2}, true);
            NDArray expected = grouped.sub(mean).div(var.add(1e-5f).sqrt()).reshape(x.getShape())
                    .mul(gain.reshape(1, 64, 1, 1)).add(shift.reshape(1, 64, 1, 1));
            assertClose(new NDArray[] {expected, FusedKernels.groupNorm(x, 32, gain, shift, 1e-5f, false)}, 1e-5);
            NDArray silu = expected.mul(expected.getNDArrayInternal().sigmoid());
            assertClose(new NDArray[] {silu, FusedKernels.groupNorm(x, 32, gain, shift, 1e-5f, true)}, 1e-5);
            assertClose(new NDArray[] {x.mul(x.getNDArrayInternal().sigmoid()), FusedKernels.silu(x)}, 1e-6);
        }
    }

    @Test
    void oneDnnLinearEqualsDjlsLinearOnStridedInput() {
        try (NDScope scope = new NDScope()) {
            // Transformer2DModel hands proj_in its tokens as a transposed (non-contiguous) view
            NDArray map = manager.randomNormal(new Shape(2, 320, 64));
            NDArray tokens = map.transpose(0, 2, 1);
            NDArray w = manager.randomNormal(new Shape(640, 320)).div(Math.sqrt(320));
            NDArray b = manager.randomNormal(new Shape(640));
            assertClose(new NDArray[] {Linear.linear(tokens, w, b).singletonOrThrow(),
                FusedKernels.linearOneDnn(tokens, w, b)}, 1e-5);
            assertClose(new NDArray[] {Linear.linear(tokens, w, null).singletonOrThrow(),
                FusedKernels.linearOneDnn(tokens, w, null)}, 1e-5);
        }
    }

    private static NDArray[] attention(int b, int nq, int nk, int heads, int d, boolean causal) {
        NDArray q = manager.randomNormal(new Shape(b, nq, heads * d));
        NDArray k = manager.randomNormal(new Shape(b, nk, heads * d));
        NDArray v = manager.randomNormal(new Shape(b, nk, heads * d));
        NDArray mask = causal ? causalMask(nq) : null;
        NDArray fused = FusedKernels.attend(q, k, v, heads, mask, false);
        NDArray plain = matmulAttention(q, k, v, heads, mask);
        return new NDArray[] {plain, fused};
    }

    /** The reference: scores materialised, as in ScaledDotProductAttention's fallback. */
    static NDArray matmulAttention(NDArray q, NDArray k, NDArray v, int heads, NDArray mask) {
        long b = q.getShape().get(0);
        long nq = q.getShape().get(1);
        long nk = k.getShape().get(1);
        long d = q.getShape().get(2) / heads;
        NDArray scores = q.reshape(b, nq, heads, d).transpose(0, 2, 1, 3).matMul(k.reshape(b, nk, heads, d)
                .transpose(0, 2, 3, 1)).div(Math.sqrt(d));
        if (mask != null) {
            scores = scores.add(mask);
        }
        return scores.softmax(-1).matMul(v.reshape(b, nk, heads, d).transpose(0, 2, 1, 3)).transpose(0, 2, 1, 3)
                .reshape(b, nq, heads * d);
    }

    /** CLIP's additive causal mask: -FLT_MAX above the diagonal. */
    static NDArray causalMask(int n) {
        float[] mask = new float[n * n];
        for (int q = 0; q < n; q++) {
            Arrays.fill(mask, q * n + q + 1, (q + 1) * n, -Float.MAX_VALUE);
        }
        return manager.create(mask, new Shape(n, n));
    }

    private static void assertClose(NDArray[] expectedActual, double atol) {
        assertEquals(expectedActual[0].getShape(), expectedActual[1].getShape());
        float max = expectedActual[0].sub(expectedActual[1]).abs().max().getFloat();
        assertTrue(max <= atol, "max abs difference " + max + " > " + atol);
    }

    /** max |a - b| within {@code relative} of max |a|. */
    private static void assertRelative(NDArray expected, NDArray actual, double relative) {
        assertEquals(expected.getShape(), actual.getShape());
        float scale = expected.abs().max().getFloat();
        float max = expected.sub(actual).abs().max().getFloat();
        assertTrue(max <= relative * scale, "max abs difference " + max + " > " + relative + " x " + scale);
        assertTrue(max > 0, "bf16 result identical to fp32: was it computed in bf16?");
    }
}
