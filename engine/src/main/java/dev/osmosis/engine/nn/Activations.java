package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.nn.torchscript.FusedKernels;

/** The activations of the SD family. */
public final class Activations {
    private Activations() {}

    /** x * sigmoid(x); one pass through libtorch's silu where the fused kernels are reachable. */
    public static NDArray silu(NDArray x) {
        if (FusedKernels.available(x)) {
            return FusedKernels.silu(x);
        }
        return x.mul(x.getNDArrayInternal().sigmoid());
    }

    /** OpenAI CLIP's approximation: x * sigmoid(1.702 x). */
    public static NDArray quickGelu(NDArray x) {
        return x.mul(x.mul(Scalars.of(1.702f, x)).getNDArrayInternal().sigmoid());
    }

    /** Exact (erf) GELU, as torch.nn.functional.gelu. */
    public static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    public static NDArray apply(String name, NDArray x) {
        return switch (name) {
            case "quick_gelu" -> quickGelu(x);
            case "gelu" -> gelu(x);
            case "silu", "swish" -> silu(x);
            default -> throw new IllegalArgumentException("unsupported activation '" + name + "'");
        };
    }
}
