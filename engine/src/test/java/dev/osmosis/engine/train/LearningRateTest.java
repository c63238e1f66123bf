package dev.osmosis.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LearningRateTest {
    @Test
    void warmsUpHoldsThenDecaysToZeroAtTheEnd() {
        LearningRate lr = new LearningRate(1.0, 10, 0, 100, 20);
        assertEquals(0.1, lr.at(0), 1e-12);
        assertEquals(1.0, lr.at(9), 1e-12);
        assertEquals(1.0, lr.at(79), 1e-12);
        assertEquals(1.0, lr.at(80), 1e-12); // (100 - 80) / 20
        assertEquals(0.5, lr.at(90), 1e-12);
        assertEquals(0.05, lr.at(99), 1e-12);
        assertEquals(0.0, lr.at(100), 1e-12);
    }

    @Test
    void aWarmStartWarmsUpAgainFromItsStep() {
        LearningRate lr = new LearningRate(2.0, 4, 1000, Long.MAX_VALUE, 0);
        assertEquals(0.5, lr.at(1000), 1e-12);
        assertEquals(2.0, lr.at(1003), 1e-12);
        assertEquals(2.0, lr.at(5000), 1e-12);
    }

    @Test
    void withoutDecayTheRateStaysConstant() {
        LearningRate lr = new LearningRate(3e-4, 1000);
        assertEquals(3e-4 / 1000, lr.at(0), 1e-15);
        assertEquals(3e-4, lr.at(1_000_000), 1e-15);
    }
}
