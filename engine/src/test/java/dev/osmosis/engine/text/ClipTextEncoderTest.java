package dev.osmosis.engine.text;

import static dev.osmosis.engine.testing.Reference.UNIT_ATOL;
import static dev.osmosis.engine.testing.Reference.UNIT_RTOL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.osmosis.engine.io.ModelFormatException;
import dev.osmosis.engine.nn.Weights;
import dev.osmosis.engine.testing.Fixtures;
import dev.osmosis.engine.testing.Reference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parity with transformers' CLIPTextModel on the tiny-sd1 text encoder (reference/text_encoder.safetensors). */
class ClipTextEncoderTest {
    private static NDManager manager;
    private static Reference ref;
    private static ClipTextEncoder encoder;

    @BeforeAll
    static void load() {
        manager = NDManager.newBaseManager();
        ref = Reference.of("text_encoder.safetensors");
        encoder = ClipTextEncoder.load(Fixtures.tinySd1().resolve("text_encoder"), manager);
    }

    @AfterAll
    static void close() {
        ref.close();
        manager.close();
    }

    @Test
    void configIsReadFromConfigJson() {
        assertEquals(new ClipTextConfig(32, 37, 3, 4, 77, 49408, "quick_gelu", 1e-5), encoder.config());
    }

    @Test
    void lastLayerWithFinalNormMatchesLastHiddenState() {
        try (NDScope s = new NDScope()) {
            NDArray ids = ref.array(manager, "in.input_ids");
            ref.assertClose("out.last_hidden_state", encoder.forward(ids, 1), UNIT_ATOL, UNIT_RTOL);
        }
    }

    @Test
    void clipSkipTwoIsPenultimateLayerWithFinalNorm() {
        try (NDScope s = new NDScope()) {
            NDArray ids = ref.array(manager, "in.input_ids");
            ref.assertClose("out.penultimate_normed", encoder.forward(ids, 2), UNIT_ATOL, UNIT_RTOL);
        }
    }

    @Test
    void hiddenStatesMatchEmbeddingsAndPenultimateLayer() {
        try (NDScope s = new NDScope()) {
            NDArray ids = ref.array(manager, "in.input_ids");
            List<NDArray> states = encoder.hiddenStates(ids);
            assertEquals(4, states.size());
            ref.assertClose("out.hidden_states_0", states.get(0), UNIT_ATOL, UNIT_RTOL);
            ref.assertClose("out.hidden_states_m2", states.get(2), UNIT_ATOL, UNIT_RTOL);
            ref.assertClose("out.last_hidden_state", encoder.finalLayerNorm(states.get(3)), UNIT_ATOL, UNIT_RTOL);
        }
    }

    @Test
    void pooledOutputIsTheFirstEosRow() {
        try (NDScope s = new NDScope()) {
            NDArray ids = ref.array(manager, "in.input_ids");
            ref.assertClose("out.pooler_output", encoder.pooledOutput(ids), UNIT_ATOL, UNIT_RTOL);
        }
    }

    @Test
    void clipSkipOutsideTheLayerCountIsRejected() {
        try (NDScope s = new NDScope()) {
            NDArray ids = ref.array(manager, "in.input_ids");
            assertThrows(IllegalArgumentException.class, () -> encoder.forward(ids, 0));
            assertThrows(IllegalArgumentException.class, () -> encoder.forward(ids, 4));
        }
    }

    @Test
    void missingLayerWeightIsAModelFormatErrorNamingTheKey() {
        Weights empty = Weights.of("empty.safetensors", Map.of());
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> new ClipTextEncoder(ClipTextConfig.fromJson(new ObjectMapper().createObjectNode()), empty));
        assertEquals(true, e.getMessage().contains("text_model.embeddings.token_embedding.weight"), e.getMessage());
    }
}
