package dev.osmosis.engine.unet;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * One UNet call through its explicit stages with what plugins asked for: residuals added to the
 * skips and the mid block (conditions), parts reused from a feature cache (accelerators). With no
 * residuals and a full plan it performs exactly the operations of
 * {@link UNet2DConditionModel#forward}, so switching plugins off changes no bit.
 */
public final class UNetPass {
    private UNetPass() {}

    /**
     * @param residuals null for none
     * @param cache null when no part may be reused (then the plan must be full)
     */
    public static NDArray run(UNet2DConditionModel unet, NDArray sample, NDArray timesteps, NDArray context,
            UNetPlan plan, UNetResiduals residuals, UNetFeatureCache cache) {
        int skipCount = unet.skipCount();
        int n = skipCount - 1;
        if (cache == null && !plan.isFull(skipCount)) {
            throw new IllegalArgumentException("a plan that reuses features needs a feature cache");
        }
        int fresh = Math.min(plan.freshSkips(), skipCount);
        int decoderFrom = Math.min(plan.decoderFrom(), n);
        NDArray temb = unet.timeEmbedding(timesteps, sample.getShape().get(0));

        // 1. encoder: fresh skips, the rest from the cache
        List<NDArray> skips = new ArrayList<>(skipCount);
        NDArray h = null;
        for (int k = 0; k < skipCount; k++) {
            if (k < fresh) {
                h = k == 0 ? unet.convIn(sample) : unet.down(k, h, temb, context);
                NDArray skip = residuals == null ? h : residuals.onSkip(k, h);
                // the raw h feeds the next layer, the corrected skip feeds the decoder (as in diffusers)
                skips.add(skip);
                if (cache != null) {
                    cache.putSkip(k, skip);
                }
            } else {
                skips.add(cache.skip(k));
            }
        }

        // 2. mid block, or its last output
        if (decoderFrom == n) {
            if (fresh == skipCount) {
                h = unet.mid(h, temb, context);
                if (residuals != null) {
                    h = residuals.onMid(h);
                }
                if (cache != null) {
                    cache.putMid(h);
                }
            } else {
                h = cache.mid();
            }
        } else {
            h = cache.upInput(decoderFrom);
        }

        // 3. decoder from the requested layer up (its first input is already cached when it came from there)
        boolean fromCache = decoderFrom < n;
        for (int k = decoderFrom; k >= 0; k--) {
            if (cache != null && !(fromCache && k == decoderFrom)) {
                cache.putUpInput(k, h);
            }
            h = unet.up(k, h, skips, temb, context);
        }
        return unet.out(h);
    }
}
