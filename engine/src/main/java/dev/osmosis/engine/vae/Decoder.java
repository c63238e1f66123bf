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
 * diffusers' VAE {@code Decoder} (models/autoencoders/vae.py): conv_in from the latent channels,
 * mid_block, up_blocks over block_out_channels in reverse (each an {@link UpDecoderBlock2D} with
 * layers_per_block + 1 resnets), then conv_norm_out, SiLU and conv_out. Weights are the
 * {@code decoder.*} keys; post_quant_conv belongs to {@link AutoencoderKL}.
 */
public final class Decoder {
    private final VaeConfig config;
    private final Conv2d convIn;
    private final VaeMidBlock midBlock;
    private final List<UpDecoderBlock2D> upBlocks = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    public Decoder(VaeConfig config, Weights w) {
        int groups = config.normNumGroups();
        int last = config.blocks() - 1;
        long top = config.channels(last);
        this.config = config;
        this.convIn = Conv2d.same3x3(w.sub("conv_in"), config.latentChannels(), top);
        this.midBlock = new VaeMidBlock(w.sub("mid_block"), top, groups);
        for (int i = 0; i <= last; i++) {
            // up block i works at the resolution of down block (last - i)
            upBlocks.add(new UpDecoderBlock2D(w.sub("up_blocks", i), config.channels(Math.min(last - i + 1, last)),
                    config.channels(last - i), config.layersPerBlock() + 1, groups, i < last));
        }
        long bottom = config.channels(0);
        this.convNormOut = new GroupNorm(w.sub("conv_norm_out"), groups, bottom, AutoencoderKL.NORM_EPS);
        this.convOut = Conv2d.same3x3(w.sub("conv_out"), bottom, config.outChannels());
    }

    /**
     * @param z [B, latent_channels, h, w] unscaled latents after post_quant_conv
     * @return [B, out_channels, h * f, w * f], unclamped (about [-1, 1])
     */
    public NDArray forward(NDArray z) {
        AutoencoderKL.requireNchw(z, config.latentChannels(), "latents");
        List<UnaryOperator<NDArray>> stages = new ArrayList<>();
        stages.add(convIn::forward);
        stages.addAll(midBlock.stages());
        upBlocks.forEach(block -> stages.addAll(block.stages()));
        stages.add(x -> convOut.forward(Activations.silu(convNormOut.forward(x))));
        return Scoped.chain(z, stages);
    }
}
