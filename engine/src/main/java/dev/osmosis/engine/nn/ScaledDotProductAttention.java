package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;

/**
 * softmax(Q K^T / sqrt(d) + mask) V over {@code heads} heads, for tokens laid out [B, N, heads*d].
 * The one place attention is computed, so a faster kernel can replace it for every model.
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
        long d = inner / heads;
        // Q K^T and P V: 2 x 2 x B x H x Nq x Nk x d
        FlopCounter.add(4 * b * nq * nk * inner);
        NDArray qh = q.reshape(b, nq, heads, d).transpose(0, 2, 1, 3);
        NDArray kh = k.reshape(b, nk, heads, d).transpose(0, 2, 3, 1);
        NDArray vh = v.reshape(b, nk, heads, d).transpose(0, 2, 1, 3);
        NDArray scores = qh.mul((float) (1.0 / Math.sqrt(d))).matMul(kh);
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray out = scores.softmax(-1).matMul(vh);
        return out.transpose(0, 2, 1, 3).reshape(b, nq, inner);
    }
}
