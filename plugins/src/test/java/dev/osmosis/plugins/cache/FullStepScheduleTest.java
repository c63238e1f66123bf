package dev.osmosis.plugins.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FullStepScheduleTest {
    @Test
    void uniformRunsEveryIntervalFromTheFirstCall() {
        assertEquals("{0, 3, 6, 9}", FullStepSchedule.uniform(10, 3).toString());
        assertEquals(10, FullStepSchedule.uniform(10, 1).cardinality());
    }

    @ParameterizedTest
    @CsvSource({"50, 5, 0.3, 1.4", "20, 3, 0.3, 1.4", "20, 2, 0.5, 2.0", "10, 4, 0.3, 1.4", "100, 10, 0.2, 1.6"})
    void nonUniformKeepsTheCountAndTheFirstCall(int calls, int interval, double centre, double power) {
        BitSet full = FullStepSchedule.nonUniform(calls, interval, centre, power);
        assertTrue(full.get(0));
        assertEquals((calls + interval - 1) / interval, full.cardinality(), full.toString());
        assertTrue(full.length() <= calls);
    }

    @Test
    void nonUniformIsDenserAtTheCentreThanAtTheEnds() {
        BitSet full = FullStepSchedule.nonUniform(50, 5, 0.3, 1.4);
        int nearCentre = full.get(10, 21).cardinality();
        int late = full.get(35, 50).cardinality();
        assertTrue(nearCentre > late, full.toString());
    }
}
