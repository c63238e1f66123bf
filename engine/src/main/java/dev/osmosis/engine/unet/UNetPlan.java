package dev.osmosis.engine.unet;

/**
 * Which parts of one UNet call are computed and which are taken from the {@link UNetFeatureCache}
 * (training-free acceleration: DeepCache, Faster Diffusion). With n = skipCount - 1:
 * <ul>
 *   <li>skips 0 .. freshSkips-1 are computed; skips freshSkips .. n come from the cache, and so does
 *       the mid block's output unless every skip is fresh;
 *   <li>up layers consuming skips decoderFrom .. 0 are computed; when decoderFrom &lt; n the hidden
 *       state entering up layer decoderFrom comes from the cache.
 * </ul>
 * Plans compose by taking, per part, the one that computes more: a part is reused only when every
 * accelerator agrees.
 *
 * @param freshSkips 0 .. skipCount, or {@link #ALL}
 * @param decoderFrom -1 .. n, or {@link #ALL}
 */
public record UNetPlan(int freshSkips, int decoderFrom) {
    public static final int ALL = Integer.MAX_VALUE;
    public static final UNetPlan FULL = new UNetPlan(ALL, ALL);

    public UNetPlan {
        if (freshSkips < 0 || decoderFrom < -1) {
            throw new IllegalArgumentException("plan (" + freshSkips + ", " + decoderFrom + ") is negative");
        }
    }

    /** DeepCache (Ma et al. 2023): recompute only the shallow branch down to skip {@code branch} and back. */
    public static UNetPlan shallow(int branch) {
        return new UNetPlan(branch + 1, branch);
    }

    /** Faster Diffusion's encoder propagation (Li et al. 2023): reuse every encoder feature, run the decoder. */
    public static UNetPlan decoderOnly() {
        return new UNetPlan(0, ALL);
    }

    public boolean isFull(int skipCount) {
        return freshSkips >= skipCount && decoderFrom >= skipCount - 1;
    }

    public UNetPlan and(UNetPlan other) {
        return new UNetPlan(Math.max(freshSkips, other.freshSkips), Math.max(decoderFrom, other.decoderFrom));
    }
}
