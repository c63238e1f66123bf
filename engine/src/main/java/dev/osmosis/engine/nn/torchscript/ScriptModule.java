package dev.osmosis.engine.nn.torchscript;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TorchScript module loaded through DJL's PyTorch engine from archive bytes, whose methods take
 * tensors and scalars and return one tensor. The narrow door to DJL's JNI for TorchScript.
 *
 * <p>Methods run through DJL's NDList entry ({@code IValueUtils.forward(block, list, true)}), not
 * {@code runMethod}: the latter runs under {@code c10::InferenceMode}, whose results are inference
 * tensors that refuse any later in-place update ("Inplace update to inference tensor outside
 * InferenceMode"), and callers of a layer must be free to update its output in place. That entry
 * takes tensors only and reads the method name from an array named {@code module_method:<name>},
 * so scalars travel as cached 0-d tensors ({@code int(t)}/{@code float(t)} in the code), and the
 * graph executor's optimiser is switched off per thread as DJL's own inference guard does (a
 * thread-local libtorch flag: the methods are single operators, nothing to optimise).
 */
public final class ScriptModule implements AutoCloseable {
    private static final ThreadLocal<Boolean> THREAD_READY = ThreadLocal.withInitial(() -> false);

    private final PtSymbolBlock block;
    private final NDManager constants;
    private final Map<String, NDArray> methodMarkers = new ConcurrentHashMap<>();
    private final Map<Object, NDArray> scalars = new ConcurrentHashMap<>();

    private ScriptModule(PtSymbolBlock block, NDManager owner) {
        this.block = block;
        this.constants = owner;
    }

    /**
     * Compiles the archive's code with libtorch ({@code torch::jit::load} from a stream).
     *
     * @param owner the module and its cached scalars live until this manager (or {@link #close()}) releases them
     * @throws IllegalArgumentException if {@code owner} is not a PyTorch engine manager
     */
    public static ScriptModule load(byte[] archive, NDManager owner) {
        if (!(owner instanceof PtNDManager pt)) {
            throw new IllegalArgumentException("TorchScript needs the PyTorch engine, not " + owner.getEngine().getEngineName());
        }
        try {
            // mapLocation: load onto the owner's device; the stream carries no size prefix
            return new ScriptModule(JniUtils.loadModule(pt, new ByteArrayInputStream(archive), true, false), owner);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@link #call} can take this array (a PyTorch engine tensor). */
    public static boolean accepts(NDArray array) {
        return array instanceof PtNDArray && array.getManager() instanceof PtNDManager;
    }

    /**
     * Runs {@code method} and returns its tensor result, attached to the first argument's manager.
     *
     * @param first a PyTorch engine tensor, the method's first argument
     * @param rest {@link NDArray}, {@link Long} (TorchScript {@code int(t)}) or {@link Double}
     *     ({@code float(t)})
     */
    public NDArray call(String method, NDArray first, Object... rest) {
        if (!THREAD_READY.get()) {
            JniUtils.setGraphExecutorOptimize(false);
            THREAD_READY.set(true);
        }
        List<NDArray> aliases = new ArrayList<>(0);
        try {
            // the result joins the manager of the list's first array: keep the caller's tensor there
            NDList inputs = new NDList(rest.length + 2);
            inputs.add(unnamed(first, aliases));
            inputs.add(methodMarkers.computeIfAbsent(method, m -> constant(constants.create(0f), "module_method:" + m)));
            for (Object arg : rest) {
                inputs.add(switch (arg) {
                    case NDArray a -> unnamed(a, aliases);
                    case Long l -> scalars.computeIfAbsent(l, k -> constant(constants.create(l.longValue()), null));
                    case Double d -> scalars.computeIfAbsent(d, k -> constant(constants.create(d.doubleValue()), null));
                    default -> throw new IllegalArgumentException("no TorchScript argument for " + arg);
                });
            }
            return IValueUtils.forward(block, inputs, true).singletonOrThrow();
        } finally {
            aliases.forEach(NDArray::close);
        }
    }

    /**
     * DJL reads structure from array names ("a.b" a dict entry, "a[]" a list...): a named array
     * goes in as an unnamed alias of the same storage.
     */
    private static NDArray unnamed(NDArray array, List<NDArray> aliases) {
        if (array.getName() == null) {
            return array;
        }
        NDArray alias = array.reshape(array.getShape());
        aliases.add(alias);
        return alias;
    }

    /** Kept for the module's lifetime, outside any NDScope of the thread that first needs it. */
    private static NDArray constant(NDArray array, String name) {
        NDScope.unregister(array);
        if (name != null) {
            array.setName(name);
        }
        return array;
    }

    @Override
    public void close() {
        block.close();
        methodMarkers.values().forEach(NDArray::close);
        scalars.values().forEach(NDArray::close);
    }
}
