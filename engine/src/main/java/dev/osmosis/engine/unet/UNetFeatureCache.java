package dev.osmosis.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/**
 * The most recently computed features of one generation's UNet calls: every skip, the mid block
 * output and the hidden state entering each up layer. A {@link UNetPlan} that reuses a part reads it
 * here, so "reuse" always means "as computed at the last call that ran it" (DeepCache's and Faster
 * Diffusion's semantics). Owns copies of the arrays; close it with the generation.
 */
public final class UNetFeatureCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] skips;
    private final NDArray[] upInputs;
    private NDArray mid;

    public UNetFeatureCache(NDManager parent, int skipCount) {
        this.manager = parent.newSubManager();
        this.skips = new NDArray[skipCount];
        this.upInputs = new NDArray[skipCount];
    }

    void putSkip(int k, NDArray x) {
        skips[k] = keep(skips[k], x);
    }

    void putMid(NDArray x) {
        mid = keep(mid, x);
    }

    /** The hidden state that entered the up layer consuming skip k. */
    void putUpInput(int k, NDArray x) {
        upInputs[k] = keep(upInputs[k], x);
    }

    NDArray skip(int k) {
        return require(skips[k], "skip " + k);
    }

    NDArray mid() {
        return require(mid, "mid block output");
    }

    NDArray upInput(int k) {
        return require(upInputs[k], "up layer input " + k);
    }

    /** The cache holds its own reference; the caller's array stays in the caller's scope. */
    private NDArray keep(NDArray old, NDArray x) {
        if (old != null) {
            old.close();
        }
        NDArray copy = x.duplicate();
        copy.attach(manager);
        NDScope.unregister(copy);
        return copy;
    }

    private static NDArray require(NDArray x, String what) {
        if (x == null) {
            throw new IllegalStateException(what + " was never computed: the first UNet call of a generation must"
                    + " run in full");
        }
        return x;
    }

    @Override
    public void close() {
        manager.close();
    }
}
