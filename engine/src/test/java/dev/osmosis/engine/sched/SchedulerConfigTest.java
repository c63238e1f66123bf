package dev.osmosis.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.osmosis.engine.testing.Fixtures;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void stableDiffusionHubFile() throws IOException {
        SchedulerConfig config = SchedulerConfig.fromJson(
                JSON.readTree(Fixtures.tinySd1().resolve("scheduler/scheduler_config.json").toFile()));
        assertEquals(SchedulerConfig.stableDiffusion(), config);
        assertEquals(1000, config.numTrainTimesteps());
        assertEquals(BetaSchedule.SCALED_LINEAR, config.betaSchedule());
        assertEquals(0.00085, config.betaStart());
        assertEquals(0.012, config.betaEnd());
        assertEquals(1, config.stepsOffset());
        assertEquals(false, config.setAlphaToOne());
        assertEquals(PredictionType.EPSILON, config.predictionType());
        assertNull(config.timestepSpacing());
        assertEquals(List.of(), config.trainedBetas());
    }

    @Test
    void absentKeysTakeDefaults() {
        SchedulerConfig config = SchedulerConfig.fromJson(parse("{}"));
        assertEquals(BetaSchedule.LINEAR, config.betaSchedule());
        assertEquals(0.0001, config.betaStart());
        assertEquals(0.02, config.betaEnd());
        assertEquals(0, config.stepsOffset());
        assertEquals(true, config.setAlphaToOne());
        assertEquals(false, config.clipSample());
        assertEquals(50, config.originalInferenceSteps());
        assertEquals(TimestepSpacing.LEADING, config.spacingOr(TimestepSpacing.LEADING));
    }

    @Test
    void explicitKeys() {
        SchedulerConfig config = SchedulerConfig.fromJson(parse("""
                {"num_train_timesteps": 4, "trained_betas": [0.1, 0.2, 0.3, 0.4],
                 "prediction_type": "v_prediction", "timestep_spacing": "trailing",
                 "rescale_betas_zero_snr": true, "clip_sample": true, "clip_sample_range": 2.5,
                 "original_inference_steps": 2, "timestep_scaling": 5.0}"""));
        assertEquals(List.of(0.1, 0.2, 0.3, 0.4), config.trainedBetas());
        assertEquals(PredictionType.V_PREDICTION, config.predictionType());
        assertEquals(TimestepSpacing.TRAILING, config.spacingOr(TimestepSpacing.LEADING));
        assertTrue(config.rescaleBetasZeroSnr());
        assertTrue(config.clipSample());
        assertEquals(2.5, config.clipSampleRange());
        assertEquals(2, config.originalInferenceSteps());
        assertEquals(5.0, config.timestepScaling());
    }

    @Test
    void withPredictionTypeChangesOnlyThat() {
        SchedulerConfig sd = SchedulerConfig.stableDiffusion();
        SchedulerConfig v = sd.withPredictionType("v_prediction");
        assertEquals(PredictionType.V_PREDICTION, v.predictionType());
        assertEquals(sd, v.withPredictionType("epsilon"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sd.withPredictionType("sample"));
        assertTrue(e.getMessage().contains("prediction_type must be one of [epsilon, v_prediction]"), e.getMessage());
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertMessage("beta_schedule must be one of [linear, scaled_linear, squaredcos_cap_v2]",
                "{\"beta_schedule\": \"sigmoid\"}");
        assertMessage("timestep_spacing must be one of [leading, linspace, trailing]",
                "{\"timestep_spacing\": \"middle\"}");
        assertMessage("trained_betas has 2 entries but num_train_timesteps is 1000", "{\"trained_betas\": [0.1, 0.2]}");
        assertMessage("steps_offset must be an integer", "{\"steps_offset\": \"one\"}");
        assertMessage("clip_sample must be true or false", "{\"clip_sample\": 1}");
    }

    private static void assertMessage(String expected, String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SchedulerConfig.fromJson(parse(json)));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
