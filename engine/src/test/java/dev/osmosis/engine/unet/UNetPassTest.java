package dev.osmosis.engine.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.osmosis.engine.testing.Fixtures;
import dev.osmosis.engine.testing.Reference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The staged pass: identical to forward when nothing is reused, and reuse reads what the last full pass computed. */
class UNetPassTest {
    private static NDManager manager;
    private static Reference ref;
    private static UNet2DConditionModel unet;

    @BeforeAll
    static void load() {
        manager = NDManager.newBaseManager();
        ref = Reference.of("unet.safetensors");
        unet = UNet2DConditionModel.load(Fixtures.tinySd1().resolve("unet"), manager);
    }

    @AfterAll
    static void close() {
        ref.close();
        manager.close();
    }

    @Test
    void fullPlanIsBitIdenticalToForward() {
        try (NDScope s = new NDScope(); UNetFeatureCache cache = new UNetFeatureCache(manager, unet.skipCount())) {
            NDArray x = ref.array(manager, "in.latents");
            NDArray t = ref.array(manager, "in.t500.timestep");
            NDArray c = ref.array(manager, "in.encoder_hidden_states");
            float[] plain = unet.forward(x, t, c).toFloatArray();
            assertArrayEquals(plain, UNetPass.run(unet, x, t, c, UNetPlan.FULL, null, null).toFloatArray());
            assertArrayEquals(plain, UNetPass.run(unet, x, t, c, UNetPlan.FULL, null, cache).toFloatArray());
        }
    }

    @Test
    void reusingEverythingAtTheSameInputsGivesTheSameOutput() {
        try (NDScope s = new NDScope(); UNetFeatureCache cache = new UNetFeatureCache(manager, unet.skipCount())) {
            NDArray x = ref.array(manager, "in.latents");
            NDArray t = ref.array(manager, "in.t500.timestep");
            NDArray c = ref.array(manager, "in.encoder_hidden_states");
            float[] full = UNetPass.run(unet, x, t, c, UNetPlan.FULL, null, cache).toFloatArray();
            for (UNetPlan plan : List.of(UNetPlan.shallow(0), UNetPlan.shallow(3), UNetPlan.decoderOnly(),
                    new UNetPlan(2, UNetPlan.ALL))) {
                assertArrayEquals(full, UNetPass.run(unet, x, t, c, plan, null, cache).toFloatArray(), plan.toString());
            }
            // at another timestep the reused deep features make the output differ from a full pass
            NDArray t1 = ref.array(manager, "in.t1.timestep");
            float[] fresh = unet.forward(x, t1, c).toFloatArray();
            assertFalse(java.util.Arrays.equals(fresh,
                    UNetPass.run(unet, x, t1, c, UNetPlan.shallow(0), null, cache).toFloatArray()));
        }
    }

    @Test
    void residualsAreAddedToSkipsAndMid() {
        try (NDScope s = new NDScope()) {
            NDArray x = ref.array(manager, "in.latents");
            NDArray t = ref.array(manager, "in.t500.timestep");
            NDArray c = ref.array(manager, "in.encoder_hidden_states");
            UNetResiduals zero = new UNetResiduals(unet.skipCount());
            assertArrayEquals(unet.forward(x, t, c).toFloatArray(),
                    UNetPass.run(unet, x, t, c, UNetPlan.FULL, zero, null).toFloatArray());
            List<NDArray> skips = new ArrayList<>(Collections.nCopies(unet.skipCount(), null));
            skips.set(0, manager.ones(new ai.djl.ndarray.types.Shape(2, 32, 8, 12)));
            UNetResiduals one = new UNetResiduals(skips, null);
            assertFalse(java.util.Arrays.equals(unet.forward(x, t, c).toFloatArray(),
                    UNetPass.run(unet, x, t, c, UNetPlan.FULL, one, null).toFloatArray()));
        }
    }

    @Test
    void aPlanThatReusesNeedsACacheThatWasFilled() {
        try (NDScope s = new NDScope(); UNetFeatureCache cache = new UNetFeatureCache(manager, unet.skipCount())) {
            NDArray x = ref.array(manager, "in.latents");
            NDArray t = ref.array(manager, "in.t500.timestep");
            NDArray c = ref.array(manager, "in.encoder_hidden_states");
            assertThrows(IllegalArgumentException.class, () -> UNetPass.run(unet, x, t, c, UNetPlan.shallow(0), null, null));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> UNetPass.run(unet, x, t, c, UNetPlan.shallow(0), null, cache));
            assertTrue(e.getMessage().contains("never computed"), e.getMessage());
        }
    }

    @Test
    void plansComposeByComputingWhatEitherNeeds() {
        assertEquals(new UNetPlan(1, UNetPlan.ALL), UNetPlan.shallow(0).and(UNetPlan.decoderOnly()));
        assertEquals(UNetPlan.shallow(3), UNetPlan.shallow(3).and(UNetPlan.shallow(1)));
        assertTrue(UNetPlan.FULL.and(UNetPlan.shallow(0)).isFull(6));
        assertFalse(UNetPlan.shallow(4).isFull(6));
        assertTrue(UNetPlan.shallow(5).isFull(6));
    }
}
