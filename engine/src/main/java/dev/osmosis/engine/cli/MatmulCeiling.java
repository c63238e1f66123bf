package dev.osmosis.engine.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/** The fp32 GEMM throughput of this machine through the same libtorch, as the ceiling of a benchmark. */
final class MatmulCeiling {
    private MatmulCeiling() {}

    /** Median GFLOP/s of [4096 x 1280] @ [1280 x 1280], an SD1.5 attention projection at 512x512. */
    static double measure(NDManager manager) {
        try (NDScope scope = new NDScope()) {
            NDArray a = manager.randomNormal(new Shape(4096, 1280));
            NDArray b = manager.randomNormal(new Shape(1280, 1280));
            double flops = 2.0 * 4096 * 1280 * 1280;
            double[] rates = new double[7];
            a.matMul(b).close();
            for (int i = 0; i < rates.length; i++) {
                long start = System.nanoTime();
                NDArray c = a.matMul(b);
                c.getFloat(0, 0);
                rates[i] = flops / ((System.nanoTime() - start) / 1e9) / 1e9;
                c.close();
            }
            java.util.Arrays.sort(rates);
            return rates[rates.length / 2];
        }
    }
}
