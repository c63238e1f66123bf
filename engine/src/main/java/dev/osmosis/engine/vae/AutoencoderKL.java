package dev.osmosis.engine.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.io.ModelFormatException;
import dev.osmosis.engine.nn.Conv2d;
import dev.osmosis.engine.nn.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * diffusers' {@code AutoencoderKL} (models/autoencoders/autoencoder_kl.py) for Stable Diffusion
 * 1.x/2.x: encode = quant_conv(encoder(image)) as a {@link DiagonalGaussian}; decode =
 * decoder(post_quant_conv(latents)). Weight names are diffusers' ({@code encoder.down_blocks.0.resnets.0.norm1.weight},
 * {@code quant_conv.weight}, ...). Every GroupNorm of the VAE uses eps 1e-6.
 *
 * <p>Results belong to the input's manager and the caller's scope; working arrays are freed stage by
 * stage. The weights live in the manager given to {@link #load}.
 */
public final class AutoencoderKL {
    static final float NORM_EPS = 1e-6f;

    /** Tile side for {@link #decodeAuto}: 64 latents = 512 pixels, the size SD 1.x was trained at (diffusers' default). */
    public static final int DEFAULT_TILE_LATENT = 64;
    /** Overlap of neighbouring tiles: diffusers' tile_overlap_factor 0.25 of the tile. */
    public static final int DEFAULT_OVERLAP_LATENT = 16;
    /**
     * Largest latent area {@link #decodeAuto} decodes in one piece: 96x96, a 768x768 image (SD 2's native
     * size). Working memory grows with the area (about 3.3 GB for 512x512 with the SD VAE on CPU,
     * measured) and the mid-block attention matrix with its square; tiles of 64 keep it near that.
     */
    public static final long DEFAULT_MAX_UNTILED_LATENT_AREA = 96L * 96L;

    /** Attention names of diffusers files written before the Attention refactor (AttentionBlock). */
    private static final Pattern LEGACY_ATTENTION =
            Pattern.compile("(.*\\.mid_block\\.attentions\\.\\d+\\.)(query|key|value|proj_attn)(\\..*)");

    private final VaeConfig config;
    private final Encoder encoder;
    private final Decoder decoder;
    private final Conv2d quantConv;
    private final Conv2d postQuantConv;

    public AutoencoderKL(VaeConfig config, Weights weights) {
        long moments = 2L * config.latentChannels();
        this.config = config;
        this.encoder = new Encoder(config, weights.sub("encoder"));
        this.decoder = new Decoder(config, weights.sub("decoder"));
        this.quantConv = Conv2d.pointwise(weights.sub("quant_conv"), moments, moments);
        this.postQuantConv = Conv2d.pointwise(weights.sub("post_quant_conv"), config.latentChannels(),
                config.latentChannels());
    }

    /** A diffusers vae folder: config.json and diffusion_pytorch_model.safetensors. */
    public static AutoencoderKL load(Path vaeDir, NDManager manager) {
        VaeConfig config = VaeConfig.read(vaeDir.resolve("config.json"));
        Path file = vaeDir.resolve("diffusion_pytorch_model.safetensors");
        if (!Files.isRegularFile(file)) {
            String hint = Files.isRegularFile(vaeDir.resolve("diffusion_pytorch_model.bin"))
                    ? "; diffusion_pytorch_model.bin is a pickle file, which is not read: convert it to safetensors"
                    : "";
            throw new ModelFormatException(file + ": file not found (only safetensors VAE weights are read" + hint + ")");
        }
        Weights weights = Weights.load(file, manager, AutoencoderKL::renameLegacy);
        // the weights outlive any scope open around load(): they belong to the manager alone
        for (String key : weights.keys()) {
            NDScope.unregister(weights.get(key));
        }
        return new AutoencoderKL(config, weights);
    }

    /** query/key/value/proj_attn -> to_q/to_k/to_v/to_out.0, as diffusers' _convert_deprecated_attention_blocks. */
    static String renameLegacy(String key) {
        Matcher m = LEGACY_ATTENTION.matcher(key);
        if (!m.matches()) {
            return key;
        }
        String name = switch (m.group(2)) {
            case "query" -> "to_q";
            case "key" -> "to_k";
            case "value" -> "to_v";
            default -> "to_out.0";
        };
        return m.group(1) + name + m.group(3);
    }

    public VaeConfig config() {
        return config;
    }

    public Encoder encoder() {
        return encoder;
    }

    public Decoder decoder() {
        return decoder;
    }

    /**
     * @param image [B, in_channels, H, W] in [-1, 1]
     * @return the posterior over unscaled latents [B, latent_channels, H / 8, W / 8] (for SD)
     */
    public DiagonalGaussian encode(NDArray image) {
        return new DiagonalGaussian(Scoped.chain(image, List.of(encoder::forward, quantConv::forward)));
    }

    /**
     * Decodes latents as the pipeline holds them: scaled by scaling_factor, which is divided out here.
     *
     * @param scaledLatents [B, latent_channels, h, w]
     * @return [B, out_channels, h * f, w * f], about [-1, 1] and not clamped (see {@link #toUnitRange})
     */
    public NDArray decode(NDArray scaledLatents) {
        requireNchw(scaledLatents, config.latentChannels(), "latents");
        float scale = (float) config.scalingFactor();
        return Scoped.chain(scaledLatents, List.of(z -> postQuantConv.forward(z.div(scale)), decoder::forward));
    }

    /**
     * Decodes overlapping tiles of {@code tileLatent} latent pixels one after the other and blends them
     * linearly across each overlap of at least {@code overlapLatent} (see {@link TiledDecode}), so memory
     * is bounded by one tile. Each tile sees only its own pixels in the mid-block attention and the
     * GroupNorm statistics, so the result is close to {@link #decode}, not equal (as with diffusers'
     * tiled_decode); larger tiles and overlaps bring it closer. Latents that fit one tile decode in one piece.
     */
    public NDArray decodeTiled(NDArray scaledLatents, int tileLatent, int overlapLatent) {
        return decodeTiled(scaledLatents, tileLatent, overlapLatent, TileProgress.NONE);
    }

    /** {@link #decodeTiled(NDArray, int, int)}, telling {@code progress} after each tile. */
    public NDArray decodeTiled(NDArray scaledLatents, int tileLatent, int overlapLatent, TileProgress progress) {
        requireNchw(scaledLatents, config.latentChannels(), "latents");
        return TiledDecode.run(scaledLatents, tileLatent, overlapLatent, config.downsampleFactor(),
                config.outChannels(), this::decode, progress);
    }

    /** {@link #decodeAuto(NDArray, long, TileProgress)} with {@link #DEFAULT_MAX_UNTILED_LATENT_AREA}. */
    public NDArray decodeAuto(NDArray scaledLatents) {
        return decodeAuto(scaledLatents, DEFAULT_MAX_UNTILED_LATENT_AREA, TileProgress.NONE);
    }

    public NDArray decodeAuto(NDArray scaledLatents, TileProgress progress) {
        return decodeAuto(scaledLatents, DEFAULT_MAX_UNTILED_LATENT_AREA, progress);
    }

    public NDArray decodeAuto(NDArray scaledLatents, long maxUntiledLatentArea) {
        return decodeAuto(scaledLatents, maxUntiledLatentArea, TileProgress.NONE);
    }

    /**
     * The pipeline's rule: decode in one piece (exactly as diffusers) up to {@code maxUntiledLatentArea}
     * latent pixels, tile with the default tile and overlap above it. A one-piece decode counts as one tile.
     */
    public NDArray decodeAuto(NDArray scaledLatents, long maxUntiledLatentArea, TileProgress progress) {
        long[] s = scaledLatents.getShape().getShape();
        if (s.length == 4 && s[2] * s[3] > maxUntiledLatentArea) {
            return decodeTiled(scaledLatents, DEFAULT_TILE_LATENT, DEFAULT_OVERLAP_LATENT, progress);
        }
        NDArray decoded = decode(scaledLatents);
        progress.tileDone(1, 1);
        return decoded;
    }

    /** The pipelines' post-processing: (decoded / 2 + 0.5) clamped to [0, 1]. */
    public static NDArray toUnitRange(NDArray decoded) {
        return decoded.div(2f).add(0.5f).clip(0f, 1f);
    }

    static void requireNchw(NDArray x, long channels, String what) {
        Shape shape = x.getShape();
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new IllegalArgumentException(what + " must be [batch, " + channels + ", height, width], got " + shape);
        }
    }
}
