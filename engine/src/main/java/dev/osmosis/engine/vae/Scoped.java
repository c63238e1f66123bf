package dev.osmosis.engine.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs a forward pass as a chain of stages, each in its own {@link NDScope}: a stage's working
 * arrays are freed when it returns, and its result as soon as the next stage has consumed it.
 * Full-resolution VAE activations are large (128 channels at 512x512 is 128 MiB each), so this
 * keeps memory close to what PyTorch's reference counting gives instead of holding every
 * intermediate until the end of the call. Only the final result joins the caller's scope.
 */
final class Scoped {
    private Scoped() {}

    static NDArray chain(NDArray input, List<UnaryOperator<NDArray>> stages) {
        NDArray x = input;
        try {
            for (UnaryOperator<NDArray> stage : stages) {
                NDArray out;
                try (NDScope scope = new NDScope()) {
                    out = stage.apply(x);
                    NDScope.unregister(out);
                }
                if (x != input && x != out) {
                    x.close();
                }
                x = out;
            }
        } catch (RuntimeException | Error e) {
            if (x != input) {
                x.close();
            }
            throw e;
        }
        if (x != input) {
            NDScope.register(x);
        }
        return x;
    }
}
