package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.nn.torchscript.FusedKernels;

/**
 * softmax(Q K^T / sqrt(d) + mask) V over {@code heads} heads, for tokens laid out [B, N, heads*d].
 * The one place attention is computed, so a faster kernel can replace it for every model.
 *
 * <p>Where libtorch's fused kernel is reachable ({@link FusedKernels}) it computes the attention
 * blockwise without materialising the [B, heads, Nq, Nk] scores (2.6x faster at SD's 4096 tokens
 * on a quiet machine here, more under memory pressure; equal to the matmul path within float32
 * rounding, docs/PERFORMANCE.md); otherwise, and under
 * {@link FusedKernels#bypass()}, the two batched matmuls and softmax below do.
 *
 * <p>Attention stays float32 under {@link Precision#BF16}: libtorch 2.7's CPU flash attention in
 * bfloat16 measured slower than in float32 on this AVX-512-BF16 CPU (no AMX), at every SD size
 * ({@code bench unet} prints both), and float32 keeps the softmax exact.
 */
public final class ScaledDotProductAttention {
    private ScaledDotProductAttention() {}

    /**
     * @param q [B, Nq, H*d]
     * @param k [B, Nk, H*d]
     * @param v [B, Nk, H*d]
     * @param mask additive mask broadcastable to [B, H, Nq, Nk], or null
     * @return [B, Nq, H*d]
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, int heads, NDArray mask) {
        long b = q.getShape().get(0);
        long nq = q.getShape().get(1);
        long nk = k.getShape().get(1);
        long inner = q.getShape().get(2);
        // Q K^T and P V: 2 x 2 x B x H x Nq x Nk x d
        FlopCounter.add(4 * b * nq * nk * inner);
        if (FusedKernels.available(q)) {
            return FusedKernels.attend(q, k, v, heads, mask, false);
        }
        return byMatmul(q, k, v, heads, mask);
    }

    /** The plain DJL path: scores materialised, softmax, then P V. */
    private static NDArray byMatmul(NDArray q, NDArray k, NDArray v, int heads, NDArray mask) {
        long b = q.getShape().get(0);
        long nq = q.getShape().get(1);
        long nk = k.getShape().get(1);
        long inner = q.getShape().get(2);
        long d = inner / heads;
        NDArray qh = q.reshape(b, nq, heads, d).transpose(0, 2, 1, 3);
        NDArray kh = k.reshape(b, nk, heads, d).transpose(0, 2, 3, 1);
        NDArray vh = v.reshape(b, nk, heads, d).transpose(0, 2, 1, 3);
        NDArray scores = qh.mul(Scalars.of((float) (1.0 / Math.sqrt(d)), qh)).matMul(kh);
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray out = scores.softmax(-1).matMul(vh);
        return out.transpose(0, 2, 1, 3).reshape(b, nq, inner);
    }
}
