package dev.osmosis.engine.nn.torchscript;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * libtorch kernels that DJL 0.35.1's JNI does not expose, reached through TorchScript modules
 * generated at run time ({@link TorchScriptArchive}, source in {@link KernelSources}):
 * <ul>
 *   <li>{@code at::scaled_dot_product_attention}: on CPU a flash-attention kernel that never
 *       materialises the N x N scores;
 *   <li>{@code at::group_norm} and {@code at::silu}: one pass each instead of DJL's several
 *       (group norm through layer_norm, then an affine; silu as x * sigmoid(x));
 *   <li>conv2d on a contiguous copy of a channels-last input (see {@link KernelSources});
 *   <li>oneDNN's fp32 inner product for linear layers (in its own module, being internal);
 *   <li>bfloat16 attention, linear and conv2d: inputs cast to bfloat16 inside libtorch and results
 *       cast back to float32 before returning. DJL cannot hold a bfloat16 tensor (its JNI maps no
 *       such type and ends the JVM), so none ever leaves a module.
 * </ul>
 *
 * <p>Each module is compiled once per process, on first use, and tried on a tiny input. If that
 * fails (another engine, a libtorch without the operators) the matching {@code available} method
 * answers false and callers keep their DJL path; nothing is logged or thrown.
 */
public final class FusedKernels {
    private static final ThreadLocal<int[]> BYPASS = ThreadLocal.withInitial(() -> new int[1]);

    private FusedKernels() {}

    /** A compiled module, or why there is none. */
    private record Kernels(ScriptModule module, String problem) {
        static Kernels load(String className, String source, BiFunction<ScriptModule, NDManager, String> probe) {
            NDManager owner = null;
            try {
                // kept open while the module works: it lives as long as the process
                owner = NDManager.newBaseManager();
                ScriptModule module = ScriptModule.load(archive(className, source), owner);
                String problem;
                try (NDManager m = owner.newSubManager()) {
                    problem = probe.apply(module, m);
                }
                if (problem != null) {
                    owner.close();
                }
                return new Kernels(problem == null ? module : null, problem);
            } catch (RuntimeException | LinkageError e) {
                if (owner != null) {
                    owner.close();
                }
                return new Kernels(null, e.toString());
            }
        }
    }

    private static final class Core {
        static final Kernels KERNELS = Kernels.load(KernelSources.CORE_CLASS, KernelSources.CORE, (module, m) -> {
            NDArray x = m.ones(new Shape(1, 2, 4));
            NDArray out = module.call("attend", x, x, x, 2L);
            return out.getShape().equals(x.getShape()) ? null : "attend returned " + out.getShape();
        });
    }

    private static final class OneDnn {
        static final Kernels KERNELS = Kernels.load(KernelSources.ONEDNN_CLASS, KernelSources.ONEDNN, (module, m) -> {
            NDArray x = m.ones(new Shape(2, 3, 4));
            NDArray out = module.call("linear_nobias", x, m.ones(new Shape(5, 4)));
            return out.getShape().equals(new Shape(2, 3, 5)) && out.getFloat(1, 2, 4) == 4f ? null
                    : "linear returned " + out;
        });
    }

    /** The archive of a kernel module, as {@code torch::jit::load} reads it. */
    static byte[] archive(String className, String source) {
        return TorchScriptArchive.module(className, source, List.of());
    }

    /**
     * Whether the kernels (attention, norms, bfloat16) can take {@code array} on this thread: the
     * module loaded, no {@link #bypass()} open, and a PyTorch engine tensor.
     */
    public static boolean available(NDArray array) {
        return BYPASS.get()[0] == 0 && Core.KERNELS.module() != null && ScriptModule.accepts(array);
    }

    /** Whether oneDNN's fp32 linear can take {@code array} on this thread. */
    public static boolean oneDnnAvailable(NDArray array) {
        return BYPASS.get()[0] == 0 && OneDnn.KERNELS.module() != null && ScriptModule.accepts(array);
    }

    /** Why the kernels are unavailable in this process, if they are. */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(Core.KERNELS.problem());
    }

    /** Why oneDNN's linear is unavailable in this process, if it is. */
    public static Optional<String> oneDnnUnavailableReason() {
        return Optional.ofNullable(OneDnn.KERNELS.problem());
    }

    /**
     * Makes the {@code available} methods answer false on this thread until closed, so callers take
     * their plain DJL path: for benchmarks and tests that compare the two in one run.
     */
    public static Bypass bypass() {
        int[] depth = BYPASS.get();
        depth[0]++;
        return () -> depth[0]--;
    }

    /**
     * softmax(Q K^T / sqrt(d) + mask) V with heads split from the channels.
     *
     * @param q [B, Nq, heads * d]
     * @param k [B, Nk, heads * d]
     * @param v [B, Nk, heads * d]
     * @param mask additive float mask broadcastable to [B, heads, Nq, Nk], or null
     * @return [B, Nq, heads * d] float32
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, int heads, NDArray mask, boolean bf16) {
        String suffix = bf16 ? "_bf16" : "";
        if (mask == null) {
            return core().call("attend" + suffix, q, k, v, (long) heads);
        }
        return core().call("attend_masked" + suffix, q, k, v, (long) heads, mask);
    }

    /** torch.nn.functional.group_norm over NC... input, then silu if {@code silu}. */
    public static NDArray groupNorm(NDArray x, int groups, NDArray weight, NDArray bias, float eps, boolean silu) {
        return core().call(silu ? "group_norm_silu" : "group_norm", x, (long) groups, weight, bias,
                (double) eps);
    }

    /** x * sigmoid(x) in one pass. */
    public static NDArray silu(NDArray x) {
        return core().call("silu", x);
    }

    /** x W^T + b through oneDNN, float32. */
    public static NDArray linearOneDnn(NDArray x, NDArray weight, NDArray bias) {
        ScriptModule m = OneDnn.KERNELS.module();
        return bias == null ? m.call("linear_nobias", x, weight)
                : m.call("linear", x, weight, bias);
    }

    /** x W^T + b with x, W and b rounded to bfloat16 (fp32 accumulation); float32 out. */
    public static NDArray linearBf16(NDArray x, NDArray weight, NDArray bias) {
        if (bias == null) {
            return core().call("linear_nobias_bf16", x, weight);
        }
        return core().call("linear_bf16", x, weight, bias);
    }

    /** conv2d over NCHW with square stride and padding, the input made contiguous first; float32. */
    public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding, boolean bf16) {
        String name = (bias == null ? "conv2d_nobias" : "conv2d") + (bf16 ? "_bf16" : "");
        if (bias == null) {
            return core().call(name, x, weight, (long) stride, (long) padding);
        }
        return core().call(name, x, weight, bias, (long) stride, (long) padding);
    }

    /**
     * a @ b @ b ... ({@code repeats} products) on bfloat16 copies made once: the bf16 GEMM
     * throughput of the machine without the casts, for a benchmark's ceiling. b is square.
     */
    public static NDArray matmulChainBf16(NDArray a, NDArray b, int repeats) {
        return core().call("matmul_chain_bf16", a, b, (long) repeats);
    }

    private static ScriptModule core() {
        return Core.KERNELS.module();
    }

    /** Ends a {@link #bypass()}. */
    public interface Bypass extends AutoCloseable {
        @Override
        void close();
    }
}
