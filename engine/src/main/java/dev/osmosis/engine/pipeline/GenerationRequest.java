package dev.osmosis.engine.pipeline;

import dev.osmosis.engine.nn.Precision;
import dev.osmosis.engine.sched.Samplers;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Everything one generation needs besides the model; the same request on the same model and device
 * gives the same images. Built with {@link #builder()}; {@link Builder#build()} checks every field
 * and names the one that is wrong.
 *
 * @param seed seed of image 0; image k of the batch uses seed + k (as A1111 numbers them)
 * @param clipSkip 1 = last text encoder layer; 2 = A1111's "clip skip 2"
 * @param initImage the img2img input, or null for txt2img
 * @param strength img2img: the fraction of the schedule that is re-run (1 = ignore the image)
 * @param initialLatents txt2img: the starting noise [batch, 4, h/8, w/8] before the sampler's
 *     init_noise_sigma (diffusers' {@code latents=}), or null to draw it from the seed
 * @param plugins per-plugin settings, applied in list order
 * @param precision the number format of the UNet's and VAE's matrix work (FP32 exact, BF16 faster)
 */
public record GenerationRequest(
        String prompt,
        String negativePrompt,
        String sampler,
        int steps,
        double cfgScale,
        long seed,
        int width,
        int height,
        int batch,
        int clipSkip,
        BufferedImage initImage,
        double strength,
        float[] initialLatents,
        List<PluginRequest> plugins,
        Precision precision) {

    public static final int MAX_SIDE = 4096;
    public static final int MIN_SIDE = 64;
    public static final int MAX_BATCH = 64;
    public static final long MAX_SEED = 0xFFFF_FFFFL;

    /** One plugin switched on for this generation, with its settings as text ("interval" -> "3"). */
    public record PluginRequest(String id, java.util.Map<String, String> settings) {
        public PluginRequest {
            settings = java.util.Map.copyOf(settings);
        }
    }

    public GenerationRequest {
        prompt = prompt == null ? "" : prompt;
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        plugins = plugins == null ? List.of() : List.copyOf(plugins);
        precision = precision == null ? Precision.FP32 : precision;
        if (!Samplers.names().contains(sampler)) {
            throw new IllegalArgumentException("sampler: unknown '" + sampler + "'; choose one of " + Samplers.names());
        }
        if (steps < 1 || steps > Samplers.MAX_STEPS) {
            throw new IllegalArgumentException("steps: must be 1.." + Samplers.MAX_STEPS + ", got " + steps);
        }
        if (!(cfgScale >= 0 && cfgScale <= 100)) {
            throw new IllegalArgumentException("cfg: must be 0..100, got " + cfgScale);
        }
        if (seed < 0 || seed > MAX_SEED) {
            throw new IllegalArgumentException("seed: must be 0.." + MAX_SEED + ", got " + seed);
        }
        checkSide("width", width);
        checkSide("height", height);
        if (batch < 1 || batch > MAX_BATCH) {
            throw new IllegalArgumentException("batch: must be 1.." + MAX_BATCH + ", got " + batch);
        }
        if (clipSkip < 1 || clipSkip > 12) {
            throw new IllegalArgumentException("clip skip: must be 1..12, got " + clipSkip);
        }
        if (!(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength: must be in (0, 1], got " + strength);
        }
        if (initImage != null && (long) steps * strength < 1) {
            throw new IllegalArgumentException("strength: " + strength + " of " + steps
                    + " steps leaves no step to run; raise steps or strength");
        }
        if (initImage != null && initialLatents != null) {
            throw new IllegalArgumentException("init noise: give either an init image or initial latents, not both");
        }
    }

    private static void checkSide(String name, int value) {
        if (value < MIN_SIDE || value > MAX_SIDE || value % 8 != 0) {
            throw new IllegalArgumentException(name + ": must be a multiple of 8 between " + MIN_SIDE + " and "
                    + MAX_SIDE + ", got " + value);
        }
    }

    public boolean isImg2Img() {
        return initImage != null;
    }

    /** Classifier-free guidance runs only above 1 (at 1 the unconditional pass would cancel out). */
    public boolean usesGuidance() {
        return cfgScale > 1;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().prompt(prompt).negativePrompt(negativePrompt).sampler(sampler).steps(steps)
                .cfgScale(cfgScale).seed(seed).size(width, height).batch(batch).clipSkip(clipSkip)
                .initImage(initImage).strength(strength).initialLatents(initialLatents).plugins(plugins)
                .precision(precision);
    }

    /** Defaults are the usual SD 1.x ones: Euler a, 20 steps, CFG 7.5, 512x512. */
    public static final class Builder {
        private String prompt = "";
        private String negativePrompt = "";
        private String sampler = "euler_a";
        private int steps = 20;
        private double cfgScale = 7.5;
        private long seed = 0;
        private int width = 512;
        private int height = 512;
        private int batch = 1;
        private int clipSkip = 1;
        private BufferedImage initImage;
        private double strength = 0.75;
        private float[] initialLatents;
        private List<PluginRequest> plugins = List.of();
        private Precision precision = Precision.FP32;

        public Builder prompt(String v) {
            prompt = v;
            return this;
        }

        public Builder negativePrompt(String v) {
            negativePrompt = v;
            return this;
        }

        public Builder sampler(String v) {
            sampler = v;
            return this;
        }

        public Builder steps(int v) {
            steps = v;
            return this;
        }

        public Builder cfgScale(double v) {
            cfgScale = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder size(int w, int h) {
            width = w;
            height = h;
            return this;
        }

        public Builder batch(int v) {
            batch = v;
            return this;
        }

        public Builder clipSkip(int v) {
            clipSkip = v;
            return this;
        }

        public Builder initImage(BufferedImage v) {
            initImage = v;
            return this;
        }

        public Builder strength(double v) {
            strength = v;
            return this;
        }

        public Builder initialLatents(float[] v) {
            initialLatents = v;
            return this;
        }

        public Builder plugins(List<PluginRequest> v) {
            plugins = v;
            return this;
        }

        public Builder precision(Precision v) {
            precision = v;
            return this;
        }

        public GenerationRequest build() {
            return new GenerationRequest(prompt, negativePrompt, sampler, steps, cfgScale, seed, width, height, batch,
                    clipSkip, initImage, strength, initialLatents, plugins, precision);
        }
    }
}
