package dev.osmosis.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.osmosis.engine.nn.OwnedTensors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019, "Decoupled Weight Decay
 * Regularization", Algorithm 2), in the order torch.optim.AdamW applies it:
 * <pre>
 *   p  = p * (1 - lr * wd)                         decay, for the tensors that take it
 *   m  = b1 m + (1 - b1) g ;  v = b2 v + (1 - b2) g^2
 *   p  = p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 * The moments live in this optimizer's own manager and are updated in place; each step's
 * temporaries close with the step.
 */
public final class AdamW implements AutoCloseable {
    /**
     * @param decays which parameters take weight decay (by name): by convention matrices and
     *     kernels, not norm gains, biases or embedding tables
     */
    public record Settings(double beta1, double beta2, double eps, double weightDecay, Predicate<String> decays) {
        public static Settings defaults(double weightDecay) {
            return new Settings(0.9, 0.999, 1e-8, weightDecay, AdamW::decaysByConvention);
        }
    }

    private final Parameters parameters;
    private final Settings settings;
    private final NDManager manager;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long step;

    public AdamW(Parameters parameters, Settings settings) {
        this.parameters = parameters;
        this.settings = settings;
        this.manager = NDManager.newBaseManager();
        for (Map.Entry<String, NDArray> e : parameters.arrays().entrySet()) {
            NDArray zerosM = manager.zeros(e.getValue().getShape());
            NDArray zerosV = manager.zeros(e.getValue().getShape());
            NDScope.unregister(zerosM, zerosV);
            m.put(e.getKey(), zerosM);
            v.put(e.getKey(), zerosV);
        }
    }

    /** Matrices and kernels decay; vectors (biases, norm gains) and embedding tables do not. */
    public static boolean decaysByConvention(String name) {
        return !name.contains("embedding") && !name.endsWith(".bias") && !name.contains("norm");
    }

    /** One update from the gradients the last backward pass left on the parameters. */
    public void step(double lr) {
        step++;
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        float stepSize = (float) (lr / (1 - Math.pow(b1, step)));
        float vCorrection = (float) (1 / Math.sqrt(1 - Math.pow(b2, step)));
        for (Map.Entry<String, NDArray> e : parameters.arrays().entrySet()) {
            String name = e.getKey();
            NDArray p = e.getValue();
            try (NDScope scope = new NDScope()) {
                NDArray g = p.getGradient();
                if (settings.weightDecay() > 0 && settings.decays().test(name)) {
                    p.muli((float) (1 - lr * settings.weightDecay()));
                }
                NDArray mi = m.get(name).muli((float) b1).addi(g.mul((float) (1 - b1)));
                NDArray vi = v.get(name).muli((float) b2).addi(g.square().muli((float) (1 - b2)));
                NDArray denominator = vi.sqrt().muli(vCorrection).addi((float) settings.eps());
                p.subi(mi.div(denominator).muli(stepSize));
            }
        }
    }

    /** Updates taken so far (the t of the bias corrections). */
    public long stepCount() {
        return step;
    }

    /** The first and second moments by parameter name, for checkpoints. */
    public Map<String, float[]> state(String which) {
        Map<String, NDArray> source = which.equals("m") ? m : v;
        Map<String, float[]> out = new LinkedHashMap<>();
        source.forEach((k, a) -> out.put(k, a.toFloatArray()));
        return out;
    }

    /** Restores the moments and step count written by {@link #state}. */
    public void restore(Map<String, float[]> first, Map<String, float[]> second, long steps, String source) {
        restore(m, first, source);
        restore(v, second, source);
        this.step = steps;
    }

    private static void restore(Map<String, NDArray> into, Map<String, float[]> values, String source) {
        for (Map.Entry<String, NDArray> e : into.entrySet()) {
            float[] data = values.get(e.getKey());
            if (data == null || data.length != e.getValue().size()) {
                throw new IllegalArgumentException(source + ": optimizer state for '" + e.getKey()
                        + "' is missing or has the wrong size");
            }
            OwnedTensors.assign(e.getValue(), data);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
