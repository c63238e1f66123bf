package dev.osmosis.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.image.ImageLoading;
import dev.osmosis.engine.model.StableDiffusionModel;
import dev.osmosis.engine.nn.Precision;
import dev.osmosis.engine.plugin.ActivePlugins;
import dev.osmosis.engine.plugin.GenerationContext;
import dev.osmosis.engine.plugin.PluginRegistry;
import dev.osmosis.engine.plugin.PluginRegistry.ResolvedPlugin;
import dev.osmosis.engine.plugin.StepContext;
import dev.osmosis.engine.sched.NoiseSource;
import dev.osmosis.engine.sched.Samplers;
import dev.osmosis.engine.sched.Scheduler;
import dev.osmosis.engine.text.PromptEncoder;
import dev.osmosis.engine.unet.UNet2DConditionModel;
import dev.osmosis.engine.unet.UNetFeatureCache;
import dev.osmosis.engine.unet.UNetPass;
import dev.osmosis.engine.vae.AutoencoderKL;
import dev.osmosis.engine.vae.TileProgress;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * txt2img and img2img with classifier-free guidance, as diffusers' StableDiffusionPipeline and
 * StableDiffusionImg2ImgPipeline compute them:
 * <pre>
 *   context = [negative x B; prompt x B]                      (prompt x B alone when cfg <= 1)
 *   x       = noise * init_noise_sigma                        txt2img
 *   x       = add_noise(s * (mean + std * eps), noise, begin) img2img, s = VAE scaling factor
 *   for each model call i from begin:                                    plugins: adjust x
 *       [u; c] = unet(scale_model_input([x; x], i), t_i, context)   plugins: residuals, reuse plan
 *       x      = step(u + cfg * (c - u), i, x)
 *   image   = clamp(vae.decode(x) / 2 + 0.5, 0, 1)
 * </pre>
 * Every array of a step lives in an {@link NDScope} that closes with the step; only the latents
 * are carried over, so memory stays flat however many steps and generations run.
 */
public final class StableDiffusionPipeline {
    private final StableDiffusionModel model;
    private final PromptEncoder prompts;
    private final PluginRegistry plugins;

    /** With the plugins {@link PluginRegistry#discover()} finds on the class path. */
    public StableDiffusionPipeline(StableDiffusionModel model) {
        this(model, PluginRegistry.discover());
    }

    public StableDiffusionPipeline(StableDiffusionModel model, PluginRegistry plugins) {
        this.model = model;
        this.prompts = model.promptEncoder();
        this.plugins = plugins;
    }

    public PluginRegistry plugins() {
        return plugins;
    }

    public StableDiffusionModel model() {
        return model;
    }

    public GenerationResult generate(GenerationRequest request, ProgressListener progress, CancellationToken cancel) {
        return generate(request, new SeededNoise(request.seed(), request.batch()), DenoisingObserver.NONE, progress,
                cancel);
    }

    /**
     * @param noise every random draw in order: initial latents (or the VAE sample and the img2img
     *     noise), then whatever the sampler asks for
     */
    public GenerationResult generate(GenerationRequest request, NoiseSource noise, DenoisingObserver observer,
            ProgressListener progress, CancellationToken cancel) {
        try (Precision.Scope scope = Precision.use(request.precision())) {
            return run(request, noise, observer, progress, cancel);
        }
    }

    private GenerationResult run(GenerationRequest request, NoiseSource noise, DenoisingObserver observer,
            ProgressListener progress, CancellationToken cancel) {
        long start = System.nanoTime();
        List<String> reports;
        long unetNanos = 0;
        int batch = request.batch();
        int f = model.downsampleFactor();
        Shape latentShape = new Shape(batch, model.latentChannels(), request.height() / f, request.width() / f);
        Scheduler scheduler = Samplers.create(request.sampler(), model.scheduler(), request.steps());
        float[] timesteps = scheduler.timesteps();
        List<ResolvedPlugin> resolved = plugins.resolve(request.plugins());
        UNet2DConditionModel unet = model.unet();

        try (NDManager job = model.manager().newSubManager()) {
            progress.onPhase(ProgressListener.Phase.ENCODING_PROMPT, 0, 1);
            NDArray context = encodePrompts(request, job);
            progress.onPhase(ProgressListener.Phase.DENOISING, 0, request.steps());
            NDArray x;
            int begin;
            try (NDScope scope = new NDScope()) {
                if (request.isImg2Img()) {
                    begin = scheduler.img2imgBegin(request.strength());
                    NDArray init = encodeImage(request.initImage(), request, job, noise, latentShape);
                    x = scheduler.addNoise(init, noise.next(init), begin);
                } else {
                    begin = 0;
                    NDArray initial = request.initialLatents() != null
                            ? given(job, request.initialLatents(), latentShape)
                            : noise.next(job.zeros(latentShape));
                    x = initial.mul(scheduler.initNoiseSigma());
                }
                NDScope.unregister(x);
            }

            int total = timesteps.length - begin;
            try (ActivePlugins active = ActivePlugins.open(resolved, new GenerationContext(model, request, total, job));
                    UNetFeatureCache cache = active.hasAccelerator() ? new UNetFeatureCache(job, unet.skipCount()) : null) {
                for (int i = begin; i < timesteps.length; i++) {
                    cancel.throwIfCancelled(i - begin, total);
                    try (NDScope scope = new NDScope()) {
                        NDArray latents = active.beforeStep(i - begin, timesteps[i], x);
                        NDArray input = scheduler.scaleModelInput(latents, i);
                        NDArray unetInput = request.usesGuidance() ? NDArrays.concat(new NDList(input, input), 0) : input;
                        NDArray t = job.create(timesteps[i]);
                        StepContext step = new StepContext(i - begin, total, timesteps[i], unetInput, t, context);
                        long unetStart = System.nanoTime();
                        NDArray unetOutput = active.isEmpty() ? unet.forward(unetInput, t, context)
                                : UNetPass.run(unet, unetInput, t, context, active.plan(step),
                                        active.residuals(step, unet.skipCount()), cache);
                        unetNanos += System.nanoTime() - unetStart;
                        observer.unetOutput(i, unetOutput);
                        NDArray next = scheduler.step(guide(unetOutput, request), i, latents, noise);
                        observer.afterStep(i, timesteps[i], next);
                        NDScope.unregister(next);
                        x.close();
                        x = next;
                        BufferedImage preview = progress.wantsPreview() ? model.preview().render(x, 0, f) : null;
                        progress.onStep(Progress.of(i - begin + 1, total, start, preview));
                    }
                }
                cancel.throwIfCancelled(total, total);
                reports = active.reports();
            }
            progress.onPhase(ProgressListener.Phase.DECODING, 0, 1);
            List<BufferedImage> images = decode(x, (done, tiles) -> {
                cancel.throwIfCancelled(total, total);
                progress.onPhase(ProgressListener.Phase.DECODING, done, tiles);
            });
            float[] latents = x.toFloatArray();
            List<Long> seeds = new ArrayList<>();
            List<String> parameters = new ArrayList<>();
            for (int k = 0; k < batch; k++) {
                seeds.add(request.seed() + k);
                parameters.add(Infotext.format(request, request.seed() + k, model.name()));
            }
            return new GenerationResult(images, seeds, parameters, latents, latentShape.getShape(), reports,
                    Duration.ofNanos(System.nanoTime() - start), Duration.ofNanos(unetNanos));
        }
    }

    /** [negative x B; prompt x B] (diffusers' order), or prompt x B without guidance. */
    private NDArray encodePrompts(GenerationRequest request, NDManager job) {
        try (NDScope scope = new NDScope()) {
            int b = request.batch();
            NDArray context;
            if (request.usesGuidance()) {
                PromptEncoder.Conditioning c = prompts.encodePair(request.prompt(), request.negativePrompt(),
                        request.clipSkip());
                context = NDArrays.concat(new NDList(repeat(c.negative(), b), repeat(c.prompt(), b)), 0);
            } else {
                context = repeat(prompts.encode(request.prompt(), request.clipSkip()), b);
            }
            context.attach(job);
            NDScope.unregister(context);
            return context;
        }
    }

    private static NDArray repeat(NDArray oneRow, int times) {
        return times == 1 ? oneRow : oneRow.repeat(0, times);
    }

    /** Classifier-free guidance (Ho and Salimans 2022): u + cfg * (c - u) over the [uncond; cond] batch. */
    private static NDArray guide(NDArray unetOutput, GenerationRequest request) {
        if (!request.usesGuidance()) {
            return unetOutput;
        }
        NDList halves = unetOutput.split(2, 0);
        NDArray uncond = halves.get(0);
        return uncond.add(halves.get(1).sub(uncond).mul((float) request.cfgScale()));
    }

    /** The img2img start: s * (mean + std * eps) of the VAE posterior of the image, at the request's size. */
    private NDArray encodeImage(BufferedImage image, GenerationRequest request, NDManager job, NoiseSource noise,
            Shape latentShape) {
        BufferedImage rgb = ImageLoading.toRgb(image, request.width(), request.height());
        byte[] bytes = ImageLoading.rgbBytes(rgb);
        float[] pixels = new float[bytes.length];
        for (int p = 0; p < bytes.length; p++) {
            pixels[p] = (bytes[p] & 0xff) / 255f * 2f - 1f;
        }
        NDArray hwc = job.create(pixels, new Shape(request.height(), request.width(), 3));
        NDArray nchw = hwc.transpose(2, 0, 1).expandDims(0).repeat(0, request.batch());
        var posterior = model.vae().encode(nchw);
        NDArray eps = noise.next(posterior.mean());
        NDArray init = posterior.sample(eps).mul((float) model.vae().config().scalingFactor());
        if (!init.getShape().equals(latentShape)) {
            throw new IllegalStateException("init latents " + init.getShape() + " != " + latentShape);
        }
        return init;
    }

    private static NDArray given(NDManager job, float[] latents, Shape shape) {
        if (latents.length != shape.size()) {
            throw new IllegalArgumentException("init noise: has " + latents.length + " values, the request needs "
                    + shape + " = " + shape.size());
        }
        return job.create(FloatBuffer.wrap(latents), shape, DataType.FLOAT32);
    }

    /** VAE decode, then [0, 1] floats to 8-bit RGB rounded as diffusers' numpy_to_pil does. */
    private List<BufferedImage> decode(NDArray latents, TileProgress tiles) {
        try (NDScope scope = new NDScope()) {
            NDArray rgb = AutoencoderKL.toUnitRange(model.vae().decodeAuto(latents, tiles)).transpose(0, 2, 3, 1);
            long[] s = rgb.getShape().getShape();
            float[] values = rgb.toFloatArray();
            int h = (int) s[1];
            int w = (int) s[2];
            List<BufferedImage> images = new ArrayList<>();
            for (int b = 0; b < s[0]; b++) {
                byte[] bytes = new byte[h * w * 3];
                int offset = b * h * w * 3;
                for (int p = 0; p < bytes.length; p++) {
                    bytes[p] = (byte) Math.round(values[offset + p] * 255f);
                }
                images.add(ImageLoading.fromRgbBytes(bytes, w, h));
            }
            return images;
        }
    }
}
