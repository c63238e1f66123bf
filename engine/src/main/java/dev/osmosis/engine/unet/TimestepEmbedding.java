package dev.osmosis.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.osmosis.engine.nn.Activations;
import dev.osmosis.engine.nn.Linear;
import dev.osmosis.engine.nn.Weights;

/**
 * The diffusion timestep as a vector (DDPM, Ho et al. 2020, after the Transformer's positional
 * encoding): a sinusoidal projection, then linear_1 -> SiLU -> linear_2 (diffusers' Timesteps +
 * TimestepEmbedding).
 */
final class TimestepEmbedding {
    private static final double MAX_PERIOD = 10000;

    private final int channels;
    private final boolean flipSinToCos;
    private final double freqShift;
    private final Linear linear1;
    private final Linear linear2;

    /** @param w the weights under {@code time_embedding} */
    TimestepEmbedding(Weights w, int channels, int embedDim, boolean flipSinToCos, double freqShift) {
        this.channels = channels;
        this.flipSinToCos = flipSinToCos;
        this.freqShift = freqShift;
        this.linear1 = new Linear(w.sub("linear_1"), channels, embedDim, true);
        this.linear2 = new Linear(w.sub("linear_2"), embedDim, embedDim, true);
    }

    /**
     * f_i = exp(-ln(10000) i / (half - shift)), emb = [sin(t f), cos(t f)] (cos first when flipped).
     * Computed in float32 on the device, as diffusers does, so large t rounds the same way.
     *
     * @param timesteps [B] float32
     * @return [B, channels]
     */
    NDArray project(NDArray timesteps) {
        int half = channels / 2;
        NDArray exponent = timesteps.getManager().arange(0, half, 1, DataType.FLOAT32)
                .mul((float) -Math.log(MAX_PERIOD)).div((float) (half - freqShift));
        NDArray args = timesteps.reshape(-1, 1).mul(exponent.exp().reshape(1, half));
        NDArray sin = args.sin();
        NDArray cos = args.cos();
        return NDArrays.concat(flipSinToCos ? new NDList(cos, sin) : new NDList(sin, cos), 1);
    }

    /** @return [B, embedDim], before the SiLU that each resnet applies */
    NDArray forward(NDArray timesteps) {
        // the projection is float32 whatever the weights are, as in diffusers, which casts it to theirs
        NDArray projected = project(timesteps).toType(linear1.weight.getDataType(), false);
        return linear2.forward(Activations.silu(linear1.forward(projected)));
    }
}
