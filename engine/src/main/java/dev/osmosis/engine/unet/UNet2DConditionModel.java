package dev.osmosis.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.io.ModelFormatException;
import dev.osmosis.engine.nn.Activations;
import dev.osmosis.engine.nn.Conv2d;
import dev.osmosis.engine.nn.GroupNorm;
import dev.osmosis.engine.nn.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The noise-prediction network of Stable Diffusion 1.x / 2.x (Rombach et al. 2022; diffusers'
 * UNet2DConditionModel), built from its {@link UNetConfig}, weights keyed by diffusers' names.
 *
 * <p>The forward pass is a sequence of explicit stages so that plugins can act between them
 * without copying the model:
 * <pre>
 *   temb     = silu(time_embedding(t))
 *   skip[0]  = h = conv_in(x)
 *   skip[k]  = h = down(k, h)                 k = 1 .. skipCount-1  (resnet(+attention) layers, downsamplers)
 *   h        = mid(h)
 *   h        = up(k, h, skip[k])              k = skipCount-1 .. 0  (last-in, first-out)
 *   out      = conv_out(silu(conv_norm_out(h)))
 * </pre>
 * Skip k and the up layer that consumes it mirror each other: that pairing is what DeepCache's
 * branch index and ControlNet's residuals refer to.
 */
public final class UNet2DConditionModel {
    private final UNetConfig config;
    private final TimestepEmbedding timeEmbedding;
    private final Conv2d convIn;
    private final List<DownBlock> downBlocks = new ArrayList<>();
    private final MidBlock midBlock;
    private final List<UpBlock> upBlocks = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Conv2d convOut;
    /** For skip k >= 1: the down block and its layer that emit it. */
    private final List<int[]> downLayerOf = new ArrayList<>();
    /** For skip k: the up block and its layer that consume it. */
    private final List<int[]> upLayerOf = new ArrayList<>();

    public UNet2DConditionModel(UNetConfig config, Weights w) {
        this.config = config;
        int c0 = config.blockOutChannels().get(0);
        int groups = config.normNumGroups();
        this.timeEmbedding = new TimestepEmbedding(w.sub("time_embedding"), c0, config.timeEmbedDim(),
                config.flipSinToCos(), config.freqShift());
        this.convIn = Conv2d.same3x3(w.sub("conv_in"), config.inChannels(), c0);

        // the encoder, recording the channels of every skip it emits
        Deque<Long> skipChannels = new ArrayDeque<>();
        skipChannels.push((long) c0);
        downLayerOf.add(null);
        long channels = c0;
        for (int i = 0; i < config.levels(); i++) {
            DownBlock block = new DownBlock(w.sub("down_blocks", i), config, i, channels);
            downBlocks.add(block);
            channels = config.blockOutChannels().get(i);
            for (int j = 0; j < block.skipCount(); j++) {
                skipChannels.push(channels);
                downLayerOf.add(new int[] {i, j});
            }
        }
        this.midBlock = new MidBlock(w.sub("mid_block"), config);

        // the decoder consumes the skips last-in, first-out
        int skips = skipChannels.size();
        for (int k = 0; k < skips; k++) {
            upLayerOf.add(null);
        }
        for (int u = 0; u < config.levels(); u++) {
            int level = config.levels() - 1 - u;
            int count = config.layersPerBlock().get(level) + 1;
            if (count > skipChannels.size()) {
                throw new ModelFormatException(w.source() + ": up_blocks." + u + " needs " + count
                        + " skip connections but only " + skipChannels.size() + " remain (layers_per_block "
                        + config.layersPerBlock() + ")");
            }
            List<Long> consumed = new ArrayList<>();
            for (int j = 0; j < count; j++) {
                consumed.add(skipChannels.pop());
                upLayerOf.set(skipChannels.size(), new int[] {u, j});
            }
            UpBlock block = new UpBlock(w.sub("up_blocks", u), config, u, level, channels, consumed);
            upBlocks.add(block);
            channels = block.outChannels();
        }
        if (!skipChannels.isEmpty()) {
            throw new ModelFormatException(w.source() + ": " + skipChannels.size()
                    + " skip connections are never consumed (layers_per_block " + config.layersPerBlock() + ")");
        }
        this.convNormOut = new GroupNorm(w.sub("conv_norm_out"), groups, c0, (float) config.normEps());
        this.convOut = Conv2d.same3x3(w.sub("conv_out"), c0, config.outChannels());
    }

    /** A diffusers unet folder: config.json and diffusion_pytorch_model(.fp16).safetensors. */
    public static UNet2DConditionModel load(Path unetDir, NDManager manager) {
        return new UNet2DConditionModel(UNetConfig.read(unetDir.resolve("config.json")),
                Weights.load(weightsFile(unetDir), manager));
    }

    /** The safetensors weights of a diffusers component folder (the fp16 variant if it is the only one). */
    public static Path weightsFile(Path componentDir) {
        for (String name : List.of("diffusion_pytorch_model.safetensors", "diffusion_pytorch_model.fp16.safetensors",
                "model.safetensors", "model.fp16.safetensors")) {
            Path file = componentDir.resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        if (Files.isRegularFile(componentDir.resolve("diffusion_pytorch_model.bin"))) {
            throw new ModelFormatException(componentDir.resolve("diffusion_pytorch_model.bin")
                    + ": pickle weights are not supported (they can run code when loaded); convert the folder"
                    + " to safetensors, e.g. with diffusers: pipe.save_pretrained(dir, safe_serialization=True)");
        }
        throw new ModelFormatException(componentDir + ": no diffusion_pytorch_model.safetensors found");
    }

    public UNetConfig config() {
        return config;
    }

    /**
     * The plain forward pass.
     *
     * @param sample [B, C, H, W] scaled model input
     * @param timesteps a scalar or [B], integer or fractional
     * @param context [B, T, D] text conditioning
     * @return [B, C_out, H, W] the predicted noise (or v)
     */
    public NDArray forward(NDArray sample, NDArray timesteps, NDArray context) {
        NDArray temb = timeEmbedding(timesteps, sample.getShape().get(0));
        List<NDArray> skips = new ArrayList<>();
        NDArray h = convIn(sample);
        skips.add(h);
        for (int k = 1; k < skipCount(); k++) {
            h = down(k, h, temb, context);
            skips.add(h);
        }
        h = mid(h, temb, context);
        for (int k = skipCount() - 1; k >= 0; k--) {
            h = up(k, h, skips, temb, context);
        }
        return out(h);
    }

    /** Skip connections including conv_in's (12 for SD1/SD2). */
    public int skipCount() {
        return downLayerOf.size();
    }

    /** silu(time_embedding(t)) for every sample: [B, 4 C0], shared by all resnets of this call. */
    public NDArray timeEmbedding(NDArray timesteps, long batch) {
        NDArray t = timesteps.toType(DataType.FLOAT32, false);
        if (t.getShape().dimension() == 0 || t.getShape().size() == 1) {
            t = t.reshape(1).broadcast(new Shape(batch));
        } else if (t.getShape().dimension() != 1 || t.getShape().get(0) != batch) {
            throw new IllegalArgumentException("timesteps must be a scalar or [" + batch + "], got " + t.getShape());
        }
        return Activations.silu(timeEmbedding.forward(t));
    }

    /** Skip 0. */
    public NDArray convIn(NDArray sample) {
        return convIn.forward(sample);
    }

    /** The down layer that emits skip {@code k} (1 .. skipCount-1) from skip k-1. */
    public NDArray down(int k, NDArray h, NDArray temb, NDArray context) {
        int[] at = downLayerOf.get(checkSkip(k, 1));
        return downBlocks.get(at[0]).forward(at[1], h, temb, context);
    }

    public NDArray mid(NDArray h, NDArray temb, NDArray context) {
        return midBlock.forward(h, temb, context);
    }

    /**
     * The up layer that consumes skip {@code k}, with {@code h} the output of the up layer of skip k+1
     * (or of the mid block for the last skip). Upsamples to the size of skip k-1 where a level ends.
     */
    public NDArray up(int k, NDArray h, List<NDArray> skips, NDArray temb, NDArray context) {
        int[] at = upLayerOf.get(checkSkip(k, 0));
        long[] upsampleSize = k > 0 ? spatial(skips.get(k - 1)) : null;
        return upBlocks.get(at[0]).forward(at[1], h, skips.get(k), temb, context, upsampleSize);
    }

    public NDArray out(NDArray h) {
        return convOut.forward(Activations.silu(convNormOut.forward(h)));
    }

    /** The diffusers module path of the down layer emitting skip k (for reports and tests). */
    public String downLayerName(int k) {
        if (k == 0) {
            return "conv_in";
        }
        int[] at = downLayerOf.get(checkSkip(k, 1));
        return at[1] < downBlocks.get(at[0]).layers.size()
                ? "down_blocks." + at[0] + ".resnets." + at[1]
                : "down_blocks." + at[0] + ".downsamplers.0";
    }

    /** The diffusers module path of the up layer consuming skip k. */
    public String upLayerName(int k) {
        int[] at = upLayerOf.get(checkSkip(k, 0));
        return "up_blocks." + at[0] + ".resnets." + at[1];
    }

    private int checkSkip(int k, int min) {
        if (k < min || k >= skipCount()) {
            throw new IndexOutOfBoundsException("skip " + k + " is outside " + min + ".." + (skipCount() - 1));
        }
        return k;
    }

    private static long[] spatial(NDArray x) {
        long[] s = x.getShape().getShape();
        return new long[] {s[2], s[3]};
    }
}
