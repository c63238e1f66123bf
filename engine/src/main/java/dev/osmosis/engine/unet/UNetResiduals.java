package dev.osmosis.engine.unet;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Additive corrections to the skip connections and the mid block output, as ControlNet (Zhang et al.
 * 2023) produces them: skip k becomes skip k + residual k before the decoder consumes it. Several
 * conditions add up; null entries add nothing.
 */
public final class UNetResiduals {
    private final List<NDArray> skips;
    private NDArray mid;

    public UNetResiduals(int skipCount) {
        this.skips = new ArrayList<>(Collections.nCopies(skipCount, null));
    }

    public UNetResiduals(List<NDArray> skips, NDArray mid) {
        this.skips = new ArrayList<>(skips);
        this.mid = mid;
    }

    /** This plus {@code other}, scaled by {@code weight}. */
    public UNetResiduals add(UNetResiduals other, float weight) {
        if (other.skips.size() != skips.size()) {
            throw new IllegalArgumentException("residuals for " + other.skips.size() + " skips added to "
                    + skips.size());
        }
        for (int k = 0; k < skips.size(); k++) {
            skips.set(k, sum(skips.get(k), other.skips.get(k), weight));
        }
        mid = sum(mid, other.mid, weight);
        return this;
    }

    private static NDArray sum(NDArray a, NDArray b, float weight) {
        if (b == null) {
            return a;
        }
        NDArray scaled = weight == 1f ? b : b.mul(weight);
        return a == null ? scaled : a.add(scaled);
    }

    NDArray onSkip(int k, NDArray skip) {
        NDArray r = skips.get(k);
        return r == null ? skip : skip.add(r);
    }

    NDArray onMid(NDArray h) {
        return mid == null ? h : h.add(mid);
    }

    public int skipCount() {
        return skips.size();
    }
}
