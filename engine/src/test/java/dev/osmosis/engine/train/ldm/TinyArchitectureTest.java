package dev.osmosis.engine.train.ldm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.nn.Weights;
import dev.osmosis.engine.text.ClipTextEncoder;
import dev.osmosis.engine.train.Initialization;
import dev.osmosis.engine.train.Parameters;
import dev.osmosis.engine.unet.UNet2DConditionModel;
import dev.osmosis.engine.vae.AutoencoderKL;
import org.junit.jupiter.api.Test;

class TinyArchitectureTest {
    /** fp16 bytes of every shipped network; the issue allows 25 MB for the whole model. */
    private static final long BUDGET_BYTES = 25_000_000;

    @Test
    void bothShapesUNetsDenoiseTheirLatentAndFitTheBudget() {
        for (TinyArchitecture architecture : new TinyArchitecture[] {TinyArchitecture.shapes128(),
                TinyArchitecture.shapes128Deep()}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Weights weights = Initialization.weights("unet", manager, 3);
                UNet2DConditionModel unet = new UNet2DConditionModel(architecture.unet(), weights);
                int side = architecture.latentSize();
                NDArray x = manager.randomNormal(new Shape(2, 4, side, side));
                NDArray context = manager.randomNormal(new Shape(2, 77, architecture.text().hiddenSize()));
                NDArray out = unet.forward(x, manager.create(new float[] {999, 10}), context);
                assertArrayEquals(new long[] {2, 4, side, side}, out.getShape().getShape());
                long unetParameters = Parameters.of(weights).count();
                Weights textWeights = Initialization.weights("text", manager, 4);
                new ClipTextEncoder(architecture.text(), textWeights);
                Weights vaeWeights = Initialization.weights("vae", manager, 5);
                new AutoencoderKL(architecture.vae(), vaeWeights);
                long all = unetParameters + Parameters.of(textWeights).count() + Parameters.of(vaeWeights).count();
                assertTrue(2 * all < BUDGET_BYTES, all + " parameters, " + unetParameters + " in the UNet");
            }
        }
    }
}
