package dev.osmosis.engine.train.ldm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.osmosis.engine.sched.PredictionType;
import dev.osmosis.engine.sched.SchedulerConfig;
import dev.osmosis.engine.train.DiffusionSchedule;
import org.junit.jupiter.api.Test;

/** The scheduler config an export writes must make the samplers run the schedule the UNet was trained on. */
class ObjectiveTest {
    @Test
    void exportedSchedulerConfigReproducesTheTrainingSchedule() {
        for (Objective objective : Objective.values()) {
            ObjectNode json = ModelExporter.schedulerConfig(objective);
            SchedulerConfig config = SchedulerConfig.fromJson(json);
            assertEquals(PredictionType.fromName(objective.predictionType), config.predictionType());
            assertEquals(objective.rescaleBetasZeroSnr, config.rescaleBetasZeroSnr());
            float[] sampler = config.alphasCumprod();
            DiffusionSchedule training = objective.schedule();
            for (int t = 0; t < DiffusionSchedule.TRAIN_STEPS; t++) {
                assertEquals(training.alphaCumprod(t), sampler[t], 2e-6, objective + " t=" + t);
            }
        }
    }
}
