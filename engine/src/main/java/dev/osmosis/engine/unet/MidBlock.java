package dev.osmosis.engine.unet;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.nn.ResnetBlock2D;
import dev.osmosis.engine.nn.Weights;

/** UNetMidBlock2DCrossAttn at the lowest resolution: resnet, spatial transformer, resnet. */
final class MidBlock {
    final ResnetBlock2D resnet0;
    final Transformer2DModel attention;
    final ResnetBlock2D resnet1;

    /** @param w the weights under {@code mid_block} */
    MidBlock(Weights w, UNetConfig config) {
        int last = config.levels() - 1;
        long channels = config.blockOutChannels().get(last);
        int groups = config.normNumGroups();
        float eps = (float) config.normEps();
        this.resnet0 = new ResnetBlock2D(w.sub("resnets.0"), channels, channels, config.timeEmbedDim(), groups, eps);
        this.attention = new Transformer2DModel(w.sub("attentions.0"), channels, config.headCounts().get(last),
                config.transformerDepth().get(last), config.crossAttentionDim(), groups, config.useLinearProjection());
        this.resnet1 = new ResnetBlock2D(w.sub("resnets.1"), channels, channels, config.timeEmbedDim(), groups, eps);
    }

    NDArray forward(NDArray h, NDArray temb, NDArray context) {
        return resnet1.forward(attention.forward(resnet0.forward(h, temb), context), temb);
    }
}
