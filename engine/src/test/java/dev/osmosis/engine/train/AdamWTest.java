package dev.osmosis.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.osmosis.engine.nn.Weights;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {
    private static Parameters parameters(NDManager manager, float[] weight, float[] bias) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        arrays.put("layer.weight", manager.create(weight, new ai.djl.ndarray.types.Shape(weight.length / 2, 2)));
        arrays.put("layer.bias", manager.create(bias));
        return Parameters.of(Weights.of("test", arrays));
    }

    /** loss = sum((W x + b - y)^2) for a fixed x, y: a toy regression. */
    private static float step(Parameters p, AdamW adam, double lr, NDManager manager) {
        try (NDScope scope = new NDScope()) {
            NDArray x = manager.create(new float[] {1f, -2f});
            NDArray y = manager.create(new float[] {3f, 0.5f});
            float value;
            try (AutogradScope plain = AutogradScope.enter();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = p.get("layer.weight").matMul(x).add(p.get("layer.bias"));
                NDArray loss = out.sub(y).square().sum();
                collector.backward(loss);
                value = loss.getFloat();
            }
            adam.step(lr);
            Gradients.zero(p);
            return value;
        }
    }

    @Test
    void gradientStepsReduceTheLossOfAToyRegression() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameters p = parameters(manager, new float[] {0.5f, -0.3f, 0.1f, 0.8f}, new float[] {0f, 0f});
            p.requireGradients(true);
            try (AdamW adam = new AdamW(p, AdamW.Settings.defaults(0))) {
                float first = step(p, adam, 0.05, manager);
                float last = first;
                for (int i = 0; i < 300; i++) {
                    last = step(p, adam, 0.05, manager);
                }
                assertTrue(last < first * 1e-3, "loss " + first + " -> " + last);
                assertEquals(300 + 1, adam.stepCount());
            }
        }
    }

    @Test
    void firstStepMovesEachParameterByTheLearningRateAgainstItsGradientSign() {
        // Adam's bias-corrected first update is lr * g / (|g| + eps): the sign of the gradient
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameters p = parameters(manager, new float[] {0.5f, -0.3f, 0.1f, 0.8f}, new float[] {0.2f, -0.1f});
            float[] before = p.get("layer.weight").toFloatArray();
            p.requireGradients(true);
            try (AdamW adam = new AdamW(p, AdamW.Settings.defaults(0))) {
                step(p, adam, 0.01, manager);
            }
            // out = (0.5 + 0.6, 0.1 - 1.6) + b = (1.3, -1.6): d/dW0 = 2 (1.3 - 3) x = (-3.4, 6.8); d/dW1 = 2 (-2.1) x
            float[] after = p.get("layer.weight").toFloatArray();
            float[] expected = {before[0] + 0.01f, before[1] - 0.01f, before[2] + 0.01f, before[3] - 0.01f};
            assertArrayEquals(expected, after, 1e-6f);
        }
    }

    @Test
    void weightDecayIsDecoupledAndSkipsBiases() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameters p = parameters(manager, new float[] {1f, 2f, 3f, 4f}, new float[] {1f, 1f});
            p.requireGradients(true);
            try (AdamW adam = new AdamW(p, AdamW.Settings.defaults(0.1))) {
                // a loss with zero gradient: only the decay moves the weights
                try (NDScope scope = new NDScope()) {
                    try (AutogradScope plain = AutogradScope.enter();
                            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = p.get("layer.weight").sum().mul(0f).add(p.get("layer.bias").sum().mul(0f));
                        collector.backward(loss);
                    }
                    adam.step(0.5);
                    Gradients.zero(p);
                }
            }
            assertArrayEquals(new float[] {0.95f, 1.9f, 2.85f, 3.8f}, p.get("layer.weight").toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {1f, 1f}, p.get("layer.bias").toFloatArray(), 0f);
        }
    }

    @Test
    void emaFollowsTheParametersWithItsWarmUpDecay() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameters p = parameters(manager, new float[] {0f, 0f, 0f, 0f}, new float[] {0f, 0f});
            try (Ema ema = new Ema(p, 0.99)) {
                p.get("layer.bias").addi(10f);
                // first update: decay min(0.99, 1/10) = 0.1, so the average moves 90 % of the way
                assertEquals(0.1, ema.currentDecay(), 1e-12);
                ema.update();
                assertArrayEquals(new float[] {9f, 9f}, ema.values().get("layer.bias"), 1e-5f);
                assertEquals(2.0 / 11, ema.currentDecay(), 1e-12);
            }
        }
    }
}
