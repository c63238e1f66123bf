package dev.osmosis.engine.train.ldm;

import dev.osmosis.engine.text.ClipTextConfig;
import dev.osmosis.engine.unet.UNetConfig;
import dev.osmosis.engine.vae.VaeConfig;
import java.util.Collections;
import java.util.List;

/**
 * The three networks of a Stable Diffusion model at toy size: the same classes and checkpoint
 * names as SD 1.x/2.x, only narrower and shallower. Chosen for speed on two CPU cores (one 128x128
 * image at 20 steps with guidance in well under a second) while keeping every part of the design:
 * a KL autoencoder with f = 8, a CLIP text transformer over the real 49408-token vocabulary with a
 * causal mask, and a UNet with cross-attention at every level.
 */
public record TinyArchitecture(VaeConfig vae, ClipTextConfig text, UNetConfig unet, int imageSize) {

    /** Latent scaling is measured after the autoencoder is trained; 1.0 until then. */
    public static TinyArchitecture shapes128() {
        VaeConfig vae = new VaeConfig(3, 3, 4, List.of(16, 32, 64, 64), 1, 8, 1.0);
        ClipTextConfig text = new ClipTextConfig(64, 256, 4, 4, 77, 49408, "quick_gelu", 1e-5);
        List<Integer> channels = List.of(32, 64, 128);
        UNetConfig unet = new UNetConfig(4, 4, channels,
                List.of("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
                List.of("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"),
                Collections.nCopies(3, 1), List.of(2, 4, 8), Collections.nCopies(3, 1),
                text.hiddenSize(), true, 8, 1e-5, true, 0, 128 / vae.downsampleFactor());
        return new TinyArchitecture(vae, text, unet, 128);
    }

    /**
     * {@link #shapes128()} with a fourth level (2x2 latents, no attention, as SD's last level), the
     * middle block's cross-attention at 2x2. Experiment: at 2x2 every cell touches a different pair
     * of borders, so zero padding tells each its place, which a prompt's position words need; at 4x4
     * the shallow model's features carry no usable absolute position (see the model card).
     */
    public static TinyArchitecture shapes128Deep() {
        TinyArchitecture base = shapes128();
        UNetConfig unet = new UNetConfig(4, 4, List.of(32, 64, 128, 128),
                List.of("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"),
                List.of("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"),
                Collections.nCopies(4, 1), List.of(2, 4, 8, 8), Collections.nCopies(4, 1),
                base.text().hiddenSize(), true, 8, 1e-5, true, 0, base.latentSize());
        return new TinyArchitecture(base.vae(), base.text(), unet, base.imageSize());
    }

    /** A model small enough for unit tests: same structure, tens of thousands of parameters, 64x64 images. */
    public static TinyArchitecture micro() {
        VaeConfig vae = new VaeConfig(3, 3, 4, List.of(8, 8, 8), 1, 4, 1.0);
        ClipTextConfig text = new ClipTextConfig(16, 32, 1, 2, 77, 49408, "quick_gelu", 1e-5);
        UNetConfig unet = new UNetConfig(4, 4, List.of(8, 16), List.of("CrossAttnDownBlock2D", "DownBlock2D"),
                List.of("UpBlock2D", "CrossAttnUpBlock2D"), List.of(1, 1), List.of(2, 2), List.of(1, 1),
                text.hiddenSize(), true, 4, 1e-5, true, 0, 16);
        return new TinyArchitecture(vae, text, unet, 64);
    }

    public int latentSize() {
        return imageSize / vae.downsampleFactor();
    }

    public TinyArchitecture withScalingFactor(double scalingFactor) {
        VaeConfig v = new VaeConfig(vae.inChannels(), vae.outChannels(), vae.latentChannels(),
                vae.blockOutChannels(), vae.layersPerBlock(), vae.normNumGroups(), scalingFactor);
        return new TinyArchitecture(v, text, unet, imageSize);
    }
}
