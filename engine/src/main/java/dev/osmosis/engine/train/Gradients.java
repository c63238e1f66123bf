package dev.osmosis.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The gradient bookkeeping DJL leaves to the caller: libtorch accumulates into {@code .grad} across
 * backward passes, so every step clears it, and the global norm clip of Pascanu et al. 2013
 * ("On the difficulty of training recurrent neural networks"), as torch.nn.utils.clip_grad_norm_.
 * The one place the training code calls the PyTorch engine directly.
 */
public final class Gradients {
    private Gradients() {}

    /** Sets every parameter's gradient to zero (torch's optimizer.zero_grad(set_to_none=False)). */
    public static void zero(Parameters parameters) {
        for (NDArray p : parameters.arrays().values()) {
            if (p instanceof PtNDArray pt) {
                JniUtils.zeroGrad(pt);
            } else {
                try (NDScope scope = new NDScope()) {
                    NDArray g = p.getGradient();
                    g.subi(g);
                }
            }
        }
    }

    /** sqrt(sum of squared gradient entries) over all parameters. */
    public static double globalNorm(Parameters parameters) {
        try (NDScope scope = new NDScope()) {
            NDArray total = null;
            for (NDArray p : parameters.arrays().values()) {
                NDArray s = p.getGradient().square().sum();
                total = total == null ? s : total.add(s);
            }
            return total == null ? 0 : Math.sqrt(total.getFloat());
        }
    }

    /**
     * How often a step's forward and backward pass is computed before the step is skipped when its
     * gradient is not finite. libtorch 2.7.1's convolution backward sometimes returns NaN input
     * gradients on AVX-512 CPUs, in bursts and not reproducibly (ConvolutionBackwardTest); computing
     * the same batch again mostly gives finite ones, so the run keeps its data and stays
     * reproducible where a skip would depend on luck.
     */
    public static final int ATTEMPTS = 3;

    /**
     * Which gradients hold a NaN or an infinity: their count and the last one in the model's order,
     * where the non-finite values entered the backward pass (they spread from there to everything
     * before it).
     */
    public static String nonFiniteSummary(Parameters parameters) {
        int count = 0;
        String last = null;
        try (NDScope scope = new NDScope()) {
            for (var e : parameters.arrays().entrySet()) {
                float s = e.getValue().getGradient().abs().sum().getFloat();
                if (!Float.isFinite(s)) {
                    count++;
                    last = e.getKey();
                }
            }
        }
        return count == 0 ? "none" : count + " of " + parameters.size() + " tensors, the last " + last;
    }

    /**
     * Scales all gradients by {@code maxNorm / norm} when their global norm exceeds {@code maxNorm}.
     *
     * @return the norm before clipping (NaN or infinite when the step diverged)
     */
    public static double clip(Parameters parameters, double maxNorm) {
        double norm = globalNorm(parameters);
        if (Double.isFinite(norm) && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            try (NDScope scope = new NDScope()) {
                for (NDArray p : parameters.arrays().values()) {
                    p.getGradient().muli(scale);
                }
            }
        }
        return norm;
    }
}
