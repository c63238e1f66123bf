package dev.osmosis.engine.vae;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.nn.Activations;
import dev.osmosis.engine.nn.Conv2d;
import dev.osmosis.engine.nn.GroupNorm;
import dev.osmosis.engine.nn.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * diffusers' VAE {@code Encoder} (models/autoencoders/vae.py): conv_in, down_blocks (each a
 * {@link DownEncoderBlock2D}), mid_block, then conv_norm_out, SiLU and conv_out to 2 * latent_channels
 * (mean and log-variance, "double_z"). Weights are the {@code encoder.*} keys.
 */
public final class Encoder {
    private final VaeConfig config;
    private final Conv2d convIn;
    private final List<DownEncoderBlock2D> downBlocks = new ArrayList<>();
    private final VaeMidBlock midBlock;
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    public Encoder(VaeConfig config, Weights w) {
        int groups = config.normNumGroups();
        int last = config.blocks() - 1;
        this.config = config;
        this.convIn = Conv2d.same3x3(w.sub("conv_in"), config.inChannels(), config.channels(0));
        for (int i = 0; i <= last; i++) {
            downBlocks.add(new DownEncoderBlock2D(w.sub("down_blocks", i), config.channels(Math.max(i - 1, 0)),
                    config.channels(i), config.layersPerBlock(), groups, i < last));
        }
        long top = config.channels(last);
        this.midBlock = new VaeMidBlock(w.sub("mid_block"), top, groups);
        this.convNormOut = new GroupNorm(w.sub("conv_norm_out"), groups, top, AutoencoderKL.NORM_EPS);
        this.convOut = Conv2d.same3x3(w.sub("conv_out"), top, 2L * config.latentChannels());
    }

    /**
     * @param image [B, in_channels, H, W]
     * @return [B, 2 * latent_channels, H / f, W / f] for f = {@link VaeConfig#downsampleFactor()}
     *     (H and W rounded up), before quant_conv
     */
    public NDArray forward(NDArray image) {
        AutoencoderKL.requireNchw(image, config.inChannels(), "image");
        List<UnaryOperator<NDArray>> stages = new ArrayList<>();
        stages.add(convIn::forward);
        downBlocks.forEach(block -> stages.addAll(block.stages()));
        stages.addAll(midBlock.stages());
        stages.add(x -> convOut.forward(Activations.silu(convNormOut.forward(x))));
        return Scoped.chain(image, stages);
    }
}
