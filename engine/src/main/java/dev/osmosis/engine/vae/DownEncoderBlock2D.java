package dev.osmosis.engine.vae;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.nn.Downsample2D;
import dev.osmosis.engine.nn.ResnetBlock2D;
import dev.osmosis.engine.nn.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * diffusers' {@code DownEncoderBlock2D}: layers_per_block resnets, then (except in the last block)
 * a stride-2 convolution padded only right and bottom, as the LDM encoder does.
 */
final class DownEncoderBlock2D {
    private final List<UnaryOperator<NDArray>> stages = new ArrayList<>();

    DownEncoderBlock2D(Weights w, long in, long out, int layers, int groups, boolean downsample) {
        for (int i = 0; i < layers; i++) {
            ResnetBlock2D resnet = new ResnetBlock2D(w.sub("resnets", i), i == 0 ? in : out, out, 0, groups,
                    AutoencoderKL.NORM_EPS);
            stages.add(x -> resnet.forward(x, null));
        }
        if (downsample) {
            stages.add(new Downsample2D(w.sub("downsamplers", 0), out, true)::forward);
        }
    }

    List<UnaryOperator<NDArray>> stages() {
        return stages;
    }
}
