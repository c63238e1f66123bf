package dev.osmosis.engine.sched;

import static dev.osmosis.engine.sched.TestTensors.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The one conversion from network output to x0 / eps, alone and through every sampler. */
class PredictionTypeTest {
    @Test
    void vPredictionOnVariancePreservingSample() {
        double abar = 0.3;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = pattern(manager, 0.37);
            NDArray v = pattern(manager, 0.91);
            NoiseLevel level = NoiseLevel.ofAlphaCumprod(abar);
            NDArray x0 = PredictionType.V_PREDICTION.denoised(v, x, level);
            NDArray eps = PredictionType.V_PREDICTION.epsilon(v, x, level);
            // x0 = sqrt(a) x_t - sqrt(1 - a) v;  eps = sqrt(a) v + sqrt(1 - a) x_t
            assertClose(x.mul(Math.sqrt(abar)).sub(v.mul(Math.sqrt(1 - abar))), x0);
            assertClose(v.mul(Math.sqrt(abar)).add(x.mul(Math.sqrt(1 - abar))), eps);
            // and they recompose the sample: x_t = sqrt(a) x0 + sqrt(1 - a) eps
            assertClose(x, x0.mul(Math.sqrt(abar)).add(eps.mul(Math.sqrt(1 - abar))));
        }
    }

    @Test
    void epsilonOnVariancePreservingAndKarrasSamples() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = pattern(manager, 0.37);
            NDArray eps = pattern(manager, 0.91);
            double abar = 0.3;
            assertClose(x.sub(eps.mul(Math.sqrt(1 - abar))).div(Math.sqrt(abar)),
                    PredictionType.EPSILON.denoised(eps, x, NoiseLevel.ofAlphaCumprod(abar)));
            assertClose(x.sub(eps.mul(2.5)), PredictionType.EPSILON.denoised(eps, x, NoiseLevel.ofSigma(2.5)));
            assertClose(eps, PredictionType.EPSILON.epsilon(eps, x, NoiseLevel.ofSigma(2.5)));
        }
    }

    /** On x = x0 + sigma eps the network sees x / sqrt(1 + sigma^2), a VP sample of abar = 1 / (1 + sigma^2). */
    @Test
    void vPredictionOnKarrasSampleUsesTheNetworkInput() {
        double sigma = 2.5;
        double abar = 1 / (1 + sigma * sigma);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = pattern(manager, 0.37);
            NDArray v = pattern(manager, 0.91);
            NDArray input = x.div(Math.sqrt(1 + sigma * sigma));
            NoiseLevel vp = NoiseLevel.ofAlphaCumprod(abar);
            assertClose(PredictionType.V_PREDICTION.denoised(v, input, vp),
                    PredictionType.V_PREDICTION.denoised(v, x, NoiseLevel.ofSigma(sigma)));
            assertClose(PredictionType.V_PREDICTION.epsilon(v, input, vp),
                    PredictionType.V_PREDICTION.epsilon(v, x, NoiseLevel.ofSigma(sigma)));
        }
    }

    @Test
    void noiseLevelConversions() {
        NoiseLevel vp = NoiseLevel.ofSigma(3).variancePreserving();
        assertEquals(1 / Math.sqrt(10), vp.alpha(), 1e-15);
        assertEquals(3 / Math.sqrt(10), vp.sigma(), 1e-15);
        assertEquals(-Math.log(3), vp.lambda(), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, NoiseLevel.ofSigma(0).variancePreserving().lambda());
        assertEquals(1, NoiseLevel.ofAlphaCumprod(0.42).norm(), 1e-15);
    }

    @Test
    void unknownPredictionTypeListsTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PredictionType.fromName("sample"));
        assertTrue(e.getMessage().contains("prediction_type"), e.getMessage());
        assertTrue(e.getMessage().contains("[epsilon, v_prediction]"), e.getMessage());
    }

    static Stream<String> samplers() {
        return Samplers.names().stream();
    }

    /**
     * A v-prediction network and an epsilon network that agree on x0 must move every sampler the
     * same way: v = sqrt(a) eps - sqrt(1 - a) x0 at the level of the network input.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void vPredictionStepEqualsEpsilonStep(String name) {
        SchedulerConfig epsilonConfig = SchedulerConfig.stableDiffusion();
        Scheduler epsilonSampler = Samplers.create(name, epsilonConfig, 4);
        Scheduler vSampler = Samplers.create(name, epsilonConfig.withPredictionType("v_prediction"), 4);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray sample = pattern(manager, 0.37).mul(epsilonSampler.initNoiseSigma());
            NDArray eps = pattern(manager, 0.91);
            NDArray input = epsilonSampler.scaleModelInput(sample, 0);
            double abar = networkAlphaCumprod(epsilonSampler, epsilonConfig);
            NDArray x0 = input.sub(eps.mul(Math.sqrt(1 - abar))).div(Math.sqrt(abar));
            NDArray v = eps.mul(Math.sqrt(abar)).sub(x0.mul(Math.sqrt(1 - abar)));
            NoiseSource draws = like -> eps;
            NDArray expected = epsilonSampler.step(eps, 0, sample, draws);
            NDArray actual = vSampler.step(v, 0, sample, draws);
            assertClose(expected, actual);
        }
    }

    /** abar of the first call's network input: from the sigma table, else from the timestep. */
    private static double networkAlphaCumprod(Scheduler sampler, SchedulerConfig config) {
        float[] sigmas = ((AbstractSampler) sampler).sigmas();
        if (sigmas.length > 0) {
            return 1 / (1 + (double) sigmas[0] * sigmas[0]);
        }
        return NoiseSchedule.alphasCumprod(config)[(int) sampler.timesteps()[0]];
    }

    private static void assertClose(NDArray expected, NDArray actual) {
        TestTensors.assertClose(expected, actual, 1e-5, 1e-4);
    }
}
