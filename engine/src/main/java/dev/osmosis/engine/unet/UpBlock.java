package dev.osmosis.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.osmosis.engine.nn.ResnetBlock2D;
import dev.osmosis.engine.nn.Upsample2D;
import dev.osmosis.engine.nn.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * One resolution level of the decoder: CrossAttnUpBlock2D or UpBlock2D. Each layer concatenates the
 * next skip connection onto its input (cat([h, skip], channels)) before its resnet; the last layer is
 * followed by a nearest-neighbour x2 upsampler unless this is the last level.
 */
final class UpBlock {
    final List<UNetLayer> layers = new ArrayList<>();
    /** null on the last level. */
    final Upsample2D upsampler;

    /**
     * @param w the weights under {@code up_blocks.<u>}
     * @param in channels of the hidden state entering the block
     * @param skipChannels channels of the skips this block consumes, in the order it consumes them
     * @param level the down level this block mirrors (its channel count, heads and depth)
     */
    UpBlock(Weights w, UNetConfig config, int u, int level, long in, List<Long> skipChannels) {
        long out = config.blockOutChannels().get(level);
        boolean crossAttention = config.upBlockTypes().get(u).equals(UNetConfig.CROSS_ATTN_UP);
        int groups = config.normNumGroups();
        float eps = (float) config.normEps();
        long channels = in;
        for (int j = 0; j < skipChannels.size(); j++) {
            ResnetBlock2D resnet = new ResnetBlock2D(w.sub("resnets", j), channels + skipChannels.get(j), out,
                    config.timeEmbedDim(), groups, eps);
            Transformer2DModel attention = crossAttention
                    ? new Transformer2DModel(w.sub("attentions", j), out, config.headCounts().get(level),
                            config.transformerDepth().get(level), config.crossAttentionDim(), groups,
                            config.useLinearProjection())
                    : null;
            layers.add(new UNetLayer(resnet, attention));
            channels = out;
        }
        boolean last = u == config.levels() - 1;
        this.upsampler = last ? null : new Upsample2D(w.sub("upsamplers.0"), out);
    }

    long outChannels() {
        return layers.get(layers.size() - 1).resnet.outChannels;
    }

    /**
     * Layer {@code j}: consumes {@code skip}; the last layer also upsamples to {@code upsampleSize}
     * (the spatial size of the next skip, so odd latent sizes come back exactly).
     */
    NDArray forward(int j, NDArray h, NDArray skip, NDArray temb, NDArray context, long[] upsampleSize) {
        h = layers.get(j).forward(NDArrays.concat(new NDList(h, skip), 1), temb, context);
        if (j == layers.size() - 1 && upsampler != null) {
            h = upsampler.forward(h, upsampleSize);
        }
        return h;
    }
}
