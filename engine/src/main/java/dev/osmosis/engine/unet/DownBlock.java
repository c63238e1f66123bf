package dev.osmosis.engine.unet;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.nn.Downsample2D;
import dev.osmosis.engine.nn.ResnetBlock2D;
import dev.osmosis.engine.nn.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * One resolution level of the encoder: CrossAttnDownBlock2D (resnet + transformer per layer) or
 * DownBlock2D (resnets only), then a stride-2 downsampler unless it is the last level. Each layer and
 * the downsampler emit one skip connection.
 */
final class DownBlock {
    final List<UNetLayer> layers = new ArrayList<>();
    /** null on the last level. */
    final Downsample2D downsampler;

    /** @param w the weights under {@code down_blocks.<i>} */
    DownBlock(Weights w, UNetConfig config, int index, long in) {
        long out = config.blockOutChannels().get(index);
        boolean crossAttention = config.hasCrossAttention(index);
        int groups = config.normNumGroups();
        float eps = (float) config.normEps();
        for (int j = 0; j < config.layersPerBlock().get(index); j++) {
            ResnetBlock2D resnet = new ResnetBlock2D(w.sub("resnets", j), j == 0 ? in : out, out,
                    config.timeEmbedDim(), groups, eps);
            Transformer2DModel attention = crossAttention
                    ? new Transformer2DModel(w.sub("attentions", j), out, config.headCounts().get(index),
                            config.transformerDepth().get(index), config.crossAttentionDim(), groups,
                            config.useLinearProjection())
                    : null;
            layers.add(new UNetLayer(resnet, attention));
        }
        boolean last = index == config.levels() - 1;
        this.downsampler = last ? null : new Downsample2D(w.sub("downsamplers.0"), out, false);
    }

    /** Layers that emit a skip: the resnet layers, then the downsampler. */
    int skipCount() {
        return layers.size() + (downsampler == null ? 0 : 1);
    }

    /** Layer {@code j} of {@link #skipCount()}; its output is both the next input and a skip. */
    NDArray forward(int j, NDArray h, NDArray temb, NDArray context) {
        return j < layers.size() ? layers.get(j).forward(h, temb, context) : downsampler.forward(h);
    }
}
