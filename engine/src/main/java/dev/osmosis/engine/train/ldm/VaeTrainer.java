package dev.osmosis.engine.train.ldm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.osmosis.engine.nn.OwnedTensors;
import dev.osmosis.engine.nn.Scalars;
import dev.osmosis.engine.nn.Weights;
import dev.osmosis.engine.train.AdamW;
import dev.osmosis.engine.train.AutogradScope;
import dev.osmosis.engine.train.Gradients;
import dev.osmosis.engine.train.Initialization;
import dev.osmosis.engine.train.LearningRate;
import dev.osmosis.engine.train.Parameters;
import dev.osmosis.engine.train.TrainingCheckpoint;
import dev.osmosis.engine.train.TrainingProgress;
import dev.osmosis.engine.train.shapes.RenderedScene;
import dev.osmosis.engine.train.shapes.SceneRenderer;
import dev.osmosis.engine.train.shapes.ShapesDataset;
import dev.osmosis.engine.vae.AutoencoderKL;
import dev.osmosis.engine.vae.DiagonalGaussian;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains the autoencoder of {@link TinyArchitecture} on shapes scenes (training split only, so
 * held-out colour-shape pairs stay unseen by every part of the model):
 * <pre>
 *   z    = mean + std * eps                      posterior sample (eps from the step's seed)
 *   w    = 1 + w_obj * (objects, dilated by 2 px)          ground-truth masks of the scene
 *   loss = sum(w |decode(z) - x|) / sum(w) + w_kl * KL(q(z|x) || N(0, I))     (KL as a mean)
 * </pre>
 * LDM trains its KL-f8 autoencoder with L1 + LPIPS + a patch GAN and a KL weight of 1e-6; flat
 * shapes need neither perceptual nor adversarial terms, but they need the weighting: objects are
 * 2-7 % of the pixels, and a plain mean L1 learns the backgrounds and leaves the shapes a blur for
 * thousands of steps (measured: invisible small objects after 1000 steps). Early steps use 64x64
 * crops, most of them around an object (four times cheaper; the network is convolutional), the
 * last ones whole 128x128 images so the mid-block attention sees the full latent grid it will decode.
 */
public final class VaeTrainer {
    public static final String STAGE = "vae";

    public record Settings(long steps, int batch, int cropSize, double fullSizeFraction, double lr, long warmup,
            double klWeight, double objectWeight, long seed, int checkpointEvery, int logEvery) {}

    /** Crops centred on an object this often (else anywhere): most of a random crop is background. */
    static final double OBJECT_CROPS = 0.75;

    /** Share of the steps over which the rate decays at the end. */
    static final double DECAY_FRACTION = 0.3;

    private final TinyArchitecture architecture;
    private final ShapesDataset dataset;
    private final Settings settings;
    private final PrintStream log;

    public VaeTrainer(TinyArchitecture architecture, ShapesDataset dataset, Settings settings, PrintStream log) {
        this.architecture = architecture;
        this.dataset = dataset;
        this.settings = settings;
        this.log = log;
    }

    /**
     * Trains until {@link Settings#steps()} or until {@code deadlineNanos} (System.nanoTime), continuing
     * from {@code checkpoint} when it exists and saving to it as it goes.
     *
     * @return true when all steps are done
     */
    public boolean run(Path checkpoint, long deadlineNanos, Map<String, String> recipe) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Weights weights = Initialization.weights("vae (training)", manager, settings.seed());
            AutoencoderKL vae = new AutoencoderKL(architecture.vae(), weights);
            Parameters parameters = Parameters.of(weights);
            try (AdamW adam = new AdamW(parameters, AdamW.Settings.defaults(0))) {
                long step = 0;
                double prior = 0;
                if (Files.exists(checkpoint)) {
                    TrainingCheckpoint.Info info = TrainingCheckpoint.restore(checkpoint, parameters, adam, null);
                    step = info.step();
                    prior = info.elapsedSeconds();
                    log.printf(Locale.ROOT, "vae: resuming from %s at step %d%n", checkpoint, step);
                }
                log.printf(Locale.ROOT, "vae: %,d parameters, %d steps of batch %d%n", parameters.count(),
                        settings.steps(), settings.batch());
                TrainingProgress progress = new TrainingProgress(log, STAGE, settings.steps(), step, prior);
                LearningRate lr = new LearningRate(settings.lr(), settings.warmup());
                parameters.requireGradients(true);
                while (step < settings.steps() && System.nanoTime() < deadlineNanos) {
                    double loss = step(vae, parameters, adam, manager, step, rate(lr, step));
                    step++;
                    progress.record(loss);
                    if (step % settings.logEvery() == 0 || step == settings.steps()) {
                        progress.report(step, loss, rate(lr, step - 1),
                                "rss " + TrainingProgress.residentMb() + " MB");
                    }
                    if (step % settings.checkpointEvery() == 0 || step == settings.steps()) {
                        save(checkpoint, step, progress, parameters, adam, recipe);
                    }
                }
                if (step % settings.checkpointEvery() != 0 && step != settings.steps()) {
                    save(checkpoint, step, progress, parameters, adam, recipe);
                }
                return step >= settings.steps();
            }
        }
    }

    private void save(Path checkpoint, long step, TrainingProgress progress, Parameters parameters, AdamW adam,
            Map<String, String> recipe) {
        Map<String, String> extra = new java.util.LinkedHashMap<>(recipe);
        extra.put("loss_avg", Double.toString(progress.average()));
        parameters.requireGradients(false);
        TrainingCheckpoint.save(checkpoint, STAGE, step, progress.elapsedSeconds(), parameters, adam, null, extra);
        parameters.requireGradients(true);
    }

    /**
     * Warm-up, constant, then a linear decay to a tenth over the last {@link #DECAY_FRACTION} of the
     * steps: the last, small steps sharpen edges and corners that the constant rate keeps jittering.
     */
    double rate(LearningRate lr, long step) {
        long decayFrom = Math.round(settings.steps() * (1 - DECAY_FRACTION));
        if (step < decayFrom) {
            return lr.at(step);
        }
        double done = (step - decayFrom) / (double) Math.max(1, settings.steps() - decayFrom);
        return lr.at(step) * (1 - 0.9 * Math.min(1, done));
    }

    /** Top-left corner of a crop on the latent grid: around a random object, or anywhere. */
    private int[] crop(RenderedScene scene, int side, int f, SplittableRandom random) {
        int size = architecture.imageSize();
        int cells = (size - side) / f;
        if (cells == 0) {
            return new int[] {0, 0};
        }
        if (random.nextDouble() < OBJECT_CROPS && !scene.scene().objects().isEmpty()) {
            var o = scene.scene().objects().get(random.nextInt(scene.scene().objects().size()));
            // the object's centre anywhere in the middle half of the crop
            double cx = o.centerX() * size - side * (0.25 + 0.5 * random.nextDouble());
            double cy = o.centerY() * size - side * (0.25 + 0.5 * random.nextDouble());
            int gx = (int) Math.max(0, Math.min(cells, Math.round(cx / f)));
            int gy = (int) Math.max(0, Math.min(cells, Math.round(cy / f)));
            return new int[] {gx * f, gy * f};
        }
        return new int[] {random.nextInt(cells + 1) * f, random.nextInt(cells + 1) * f};
    }

    /** One update; returns the loss. */
    double step(AutoencoderKL vae, Parameters parameters, AdamW adam, NDManager manager, long step, double lr) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(settings.seed(), step));
        boolean full = step >= Math.round(settings.steps() * (1 - settings.fullSizeFraction()));
        int side = full ? architecture.imageSize() : Math.min(settings.cropSize(), architecture.imageSize());
        int b = full ? Math.max(1, settings.batch() / 4) : settings.batch();
        int f = architecture.vae().downsampleFactor();
        float[] pixels = new float[b * 3 * side * side];
        float[] weights = new float[b * 3 * side * side];
        for (int i = 0; i < b; i++) {
            RenderedScene scene = SceneRenderer.render(dataset.scene(random.nextLong(Long.MAX_VALUE)),
                    architecture.imageSize());
            int[] corner = crop(scene, side, f, random);
            SceneImages.write(scene, corner[0], corner[1], side, pixels, i * 3 * side * side);
            SceneImages.writeWeights(scene, corner[0], corner[1], side, 2, (float) settings.objectWeight(), weights,
                    i * 3 * side * side);
        }
        int latent = side / f;
        float[] noise = Seeds.gaussians(random, b * architecture.vae().latentChannels() * latent * latent);
        try (NDManager work = manager.newSubManager(); NDScope scope = new NDScope()) {
            NDArray x = OwnedTensors.of(work, pixels, b, 3, side, side);
            NDArray eps = OwnedTensors.of(work, noise, b, architecture.vae().latentChannels(), latent, latent);
            NDArray w = OwnedTensors.of(work, weights, b, 3, side, side);
            float weightSum = 0;
            for (float v : weights) {
                weightSum += v;
            }
            float value = Float.NaN;
            for (int attempt = 1; attempt <= Gradients.ATTEMPTS; attempt++) {
                try (AutogradScope plain = AutogradScope.enter();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    DiagonalGaussian posterior = vae.encode(x);
                    NDArray reconstruction = vae.decode(posterior.sample(eps));
                    NDArray l1 = reconstruction.sub(x).abs().mul(w).sum().div(OwnedTensors.of(work, new float[] {weightSum}));
                    NDArray mean = posterior.mean();
                    NDArray logvar = posterior.logvar();
                    NDArray kl = mean.square().add(logvar.exp()).sub(1f).sub(logvar).mean().mul(Scalars.of(0.5f, mean));
                    NDArray loss = l1.add(kl.mul(Scalars.of((float) settings.klWeight(), kl)));
                    collector.backward(loss);
                    value = loss.getFloat();
                }
                double norm = Gradients.clip(parameters, 1.0);
                if (Double.isFinite(value) && Double.isFinite(norm)) {
                    adam.step(lr);
                    Gradients.zero(parameters);
                    break;
                }
                log.printf(Locale.ROOT, "vae: step %d, attempt %d: loss %s, gradient norm %s (non-finite: %s)%s%n", step,
                        attempt, value, norm, Gradients.nonFiniteSummary(parameters),
                        attempt < Gradients.ATTEMPTS ? "; computing it again" : "; step skipped");
                Gradients.zero(parameters);
            }
            return value;
        }
    }
}
