package dev.osmosis.engine.vae;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.nn.ResnetBlock2D;
import dev.osmosis.engine.nn.Upsample2D;
import dev.osmosis.engine.nn.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * diffusers' {@code UpDecoderBlock2D}: layers_per_block + 1 resnets (the decoder is one layer deeper
 * than the encoder), then (except in the last block) nearest x2 upsampling and a 3x3 convolution.
 */
final class UpDecoderBlock2D {
    private final List<UnaryOperator<NDArray>> stages = new ArrayList<>();

    UpDecoderBlock2D(Weights w, long in, long out, int resnetCount, int groups, boolean upsample) {
        for (int i = 0; i < resnetCount; i++) {
            ResnetBlock2D resnet = new ResnetBlock2D(w.sub("resnets", i), i == 0 ? in : out, out, 0, groups,
                    AutoencoderKL.NORM_EPS);
            stages.add(x -> resnet.forward(x, null));
        }
        if (upsample) {
            Upsample2D upsampler = new Upsample2D(w.sub("upsamplers", 0), out);
            stages.add(x -> upsampler.forward(x, null));
        }
    }

    List<UnaryOperator<NDArray>> stages() {
        return stages;
    }
}
