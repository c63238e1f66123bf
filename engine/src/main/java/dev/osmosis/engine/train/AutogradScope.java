package dev.osmosis.engine.train;

import dev.osmosis.engine.nn.Precision;
import dev.osmosis.engine.nn.torchscript.FusedKernels;

/**
 * Keeps a forward pass on the plain DJL operators that record gradients, on this thread, until
 * closed. The engine's inference shortcuts (the TorchScript fused attention and the bfloat16
 * kernels of {@link FusedKernels}) run as a script module whose outputs are libtorch inference
 * tensors, which autograd refuses to save; training therefore computes in float32 through DJL.
 */
public final class AutogradScope implements AutoCloseable {
    private final FusedKernels.Bypass bypass;
    private final Precision.Scope precision;

    private AutogradScope() {
        this.precision = Precision.use(Precision.FP32);
        this.bypass = FusedKernels.bypass();
    }

    public static AutogradScope enter() {
        return new AutogradScope();
    }

    @Override
    public void close() {
        bypass.close();
        precision.close();
    }
}
