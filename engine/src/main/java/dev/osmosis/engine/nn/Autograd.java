package dev.osmosis.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** Whether libtorch records the operations on an array for a backward pass. */
public final class Autograd {
    private Autograd() {}

    /**
     * True inside a gradient collector. Asked of libtorch's grad mode rather than of the array:
     * DJL answers {@code hasGradient()} false for intermediate results that autograd does track.
     */
    public static boolean isRecording(NDArray array) {
        return array instanceof PtNDArray && JniUtils.isGradMode();
    }
}
