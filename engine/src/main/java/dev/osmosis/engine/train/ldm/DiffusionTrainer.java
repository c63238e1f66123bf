package dev.osmosis.engine.train.ldm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.osmosis.engine.nn.OwnedTensors;
import dev.osmosis.engine.nn.Weights;
import dev.osmosis.engine.text.ClipTextConfig;
import dev.osmosis.engine.text.ClipTextEncoder;
import dev.osmosis.engine.text.ClipTokenizer;
import dev.osmosis.engine.train.AdamW;
import dev.osmosis.engine.train.AutogradScope;
import dev.osmosis.engine.train.DiffusionSchedule;
import dev.osmosis.engine.train.Ema;
import dev.osmosis.engine.train.Gradients;
import dev.osmosis.engine.train.Initialization;
import dev.osmosis.engine.train.LearningRate;
import dev.osmosis.engine.train.Parameters;
import dev.osmosis.engine.train.TrainingCheckpoint;
import dev.osmosis.engine.train.TrainingProgress;
import dev.osmosis.engine.train.shapes.CaptionVariants;
import dev.osmosis.engine.train.shapes.ShapesDataset;
import dev.osmosis.engine.unet.UNet2DConditionModel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains the text encoder and the UNet together, as a latent diffusion model (Rombach et al. 2022)
 * with Stable Diffusion's objective: epsilon prediction on the scaled_linear schedule.
 * <pre>
 *   z0  = scaling_factor * (mean + std * eps_q)          a posterior sample of a cached scene
 *   x_t = sqrt(abar_t) z0 + sqrt(1 - abar_t) eps         t ~ U{0 .. 999}
 *   c   = text_encoder(caption)                          caption "" with probability p_drop
 *   loss = mean_b  w(t_b) * |unet(x_t, t, c) - eps|^2    w = min(SNR, 5) / SNR  (Min-SNR)
 * </pre>
 * From step {@link Settings#vPredictionFrom()} on, the same networks go on as SD 2.x does, predicting
 * v = sqrt(abar) eps - sqrt(1 - abar) z0 with weight min(1 + SNR, 5) / (1 + SNR), on the schedule
 * rescaled to zero terminal SNR ({@link Objective#V_ZERO_TERMINAL_SNR}): the first phase learns
 * colours and shapes fast, the second makes the prompt, not the noise, decide where objects go.
 * Dropping captions (Ho and Salimans 2022, "Classifier-Free Diffusion Guidance") trains the
 * unconditional model on the empty prompt, which is what the pipeline's negative prompt "" asks.
 * The text encoder holds only the rows of the vocabulary captions use (see {@link TrainingVocabulary}).
 */
public final class DiffusionTrainer {
    public static final String STAGE = "unet";
    public static final String TEXT = "text/";
    public static final String UNET = "unet/";
    /** Checkpoint metadata: the step at which AdamW's moments started from zero (a warm start's step). */
    public static final String OPTIMIZER_START = "optimizer_start";

    public record Settings(long steps, int batch, double lr, long warmup, double weightDecay, double emaDecay,
            double captionDropout, double minSnrGamma, Long vPredictionFrom, long decaySteps, long seed,
            int checkpointEvery, int logEvery) {

        /** The objective of update number {@code step}: epsilon, then v on zero terminal SNR from vPredictionFrom. */
        public Objective objective(long step) {
            return vPredictionFrom != null && step >= vPredictionFrom ? Objective.V_ZERO_TERMINAL_SNR
                    : Objective.EPSILON;
        }
    }

    private final TinyArchitecture architecture;
    private final LatentCache cache;
    private final ShapesDataset dataset;
    private final ClipTokenizer tokenizer;
    private final TrainingVocabulary vocabulary;
    private final Settings settings;
    private final PrintStream log;
    private final CaptionVariants captions = new CaptionVariants(CaptionVariants.Odds.training());

    public DiffusionTrainer(TinyArchitecture architecture, LatentCache cache, ShapesDataset dataset,
            ClipTokenizer tokenizer, Settings settings, PrintStream log) {
        this.architecture = architecture;
        this.cache = cache;
        this.dataset = dataset;
        this.tokenizer = tokenizer;
        this.vocabulary = TrainingVocabulary.forShapes(tokenizer);
        this.settings = settings;
        this.log = log;
    }

    /** The text encoder config as trained: CLIP's, with only the training vocabulary's rows. */
    public static ClipTextConfig compact(ClipTextConfig text, TrainingVocabulary vocabulary) {
        return new ClipTextConfig(text.hiddenSize(), text.intermediateSize(), text.numHiddenLayers(),
                text.numAttentionHeads(), text.maxPositionEmbeddings(), vocabulary.size(), text.hiddenAct(),
                text.layerNormEps());
    }

    /** The models being trained and their joint parameters ("text/..." and "unet/..."). */
    record Models(ClipTextEncoder text, UNet2DConditionModel unet, Parameters parameters) {}

    Models build(NDManager manager) {
        Weights textWeights = Initialization.weights("text encoder (training)", manager, settings.seed());
        ClipTextEncoder text = new ClipTextEncoder(compact(architecture.text(), vocabulary), textWeights);
        Weights unetWeights = Initialization.weights("unet (training)", manager, settings.seed() + 1);
        UNet2DConditionModel unet = new UNet2DConditionModel(architecture.unet(), unetWeights);
        Map<String, Parameters> parts = new LinkedHashMap<>();
        parts.put(TEXT, Parameters.of(textWeights));
        parts.put(UNET, Parameters.of(unetWeights));
        return new Models(text, unet, Parameters.join(parts));
    }

    /**
     * Trains until {@link Settings#steps()} or {@code deadlineNanos}, resuming from and saving to
     * {@code checkpoint}.
     *
     * @return true when all steps are done
     */
    public boolean run(Path checkpoint, long deadlineNanos, Map<String, String> recipe) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Models models = build(manager);
            Parameters parameters = models.parameters();
            AdamW.Settings adamSettings = AdamW.Settings.defaults(settings.weightDecay());
            try (AdamW adam = new AdamW(parameters, adamSettings); Ema ema = new Ema(parameters, settings.emaDecay())) {
                long step = 0;
                double prior = 0;
                long optimizerStart = 0;
                if (Files.exists(checkpoint)) {
                    TrainingCheckpoint.Info info = TrainingCheckpoint.restore(checkpoint, parameters, adam, ema);
                    step = info.step();
                    prior = info.elapsedSeconds();
                    optimizerStart = Long.parseLong(info.metadata().getOrDefault(OPTIMIZER_START, "0"));
                    log.printf(Locale.ROOT, "unet: resuming from %s at step %d%s%n", checkpoint, step,
                            optimizerStart == 0 ? "" : " (optimiser moments from step " + optimizerStart + ")");
                }
                Map<String, String> meta = new LinkedHashMap<>(recipe);
                if (optimizerStart != 0) {
                    meta.put(OPTIMIZER_START, Long.toString(optimizerStart));
                }
                log.printf(Locale.ROOT, "unet+text: %,d parameters trained (%d-token working vocabulary), %d steps of"
                        + " batch %d over %,d cached scenes%n", parameters.count(), vocabulary.size(), settings.steps(),
                        settings.batch(), cache.size());
                TrainingProgress progress = new TrainingProgress(log, STAGE, settings.steps(), step, prior);
                LearningRate lr = new LearningRate(settings.lr(), settings.warmup(), optimizerStart, settings.steps(),
                        settings.decaySteps());
                parameters.requireGradients(true);
                if (settings.decaySteps() > 0) {
                    log.printf(Locale.ROOT, "unet: learning rate %.2g, decaying linearly to zero from step %d to %d%n",
                            settings.lr(), settings.steps() - settings.decaySteps(), settings.steps());
                }
                Long vFrom = settings.vPredictionFrom();
                log.printf(Locale.ROOT, "unet: objective %s%s%n", settings.objective(step),
                        vFrom == null ? "" : " (v-prediction on zero terminal SNR from step " + vFrom + ")");
                double gradNorm = 0;
                while (step < settings.steps() && System.nanoTime() < deadlineNanos) {
                    double[] result = step(models, adam, manager, step, lr.at(step));
                    ema.update();
                    step++;
                    progress.record(result[0]);
                    if (Double.isFinite(result[1])) { // a skipped step must not poison the running mean
                        gradNorm = 0.95 * gradNorm + 0.05 * result[1];
                    }
                    if (step % settings.logEvery() == 0 || step == settings.steps()) {
                        progress.report(step, result[0], lr.at(step - 1),
                                String.format(Locale.ROOT, "grad %.2f  rss %d MB", gradNorm,
                                        TrainingProgress.residentMb()));
                    }
                    if (step % settings.checkpointEvery() == 0 || step == settings.steps()) {
                        save(checkpoint, step, progress, parameters, adam, ema, meta);
                    }
                }
                if (step % settings.checkpointEvery() != 0 && step != settings.steps()) {
                    save(checkpoint, step, progress, parameters, adam, ema, meta);
                }
                return step >= settings.steps();
            }
        }
    }

    private void save(Path checkpoint, long step, TrainingProgress progress, Parameters parameters, AdamW adam,
            Ema ema, Map<String, String> recipe) {
        Map<String, String> extra = new LinkedHashMap<>(recipe);
        extra.put("loss_avg", Double.toString(progress.average()));
        parameters.requireGradients(false);
        TrainingCheckpoint.save(checkpoint, STAGE, step, progress.elapsedSeconds(), parameters, adam, ema, extra);
        parameters.requireGradients(true);
    }

    /** The inputs of one step, drawn from (seed, step) alone. */
    record Batch(float[] noisy, float[] target, float[] timesteps, float[] weights, long[] tokenRows,
            String[] captions) {}

    Batch batch(long step) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(settings.seed(), step));
        Objective objective = settings.objective(step);
        int b = settings.batch();
        int per = cache.perScene();
        float scale = (float) architecture.vae().scalingFactor();
        float[] z0 = new float[b * per];
        float[] eps = new float[b * per];
        float[] noisy = new float[b * per];
        int[] t = new int[b];
        float[] tf = new float[b];
        float[] w = new float[b];
        long[] rows = new long[b * ClipTokenizer.SEQUENCE_LENGTH];
        String[] texts = new String[b];
        for (int i = 0; i < b; i++) {
            int k = random.nextInt(cache.size());
            String caption = random.nextDouble() < settings.captionDropout() ? ""
                    : captions.sample(dataset.scene(cache.sceneIndex(k)), random);
            texts[i] = caption;
            System.arraycopy(vocabulary.toRows(tokenizer.encode77(caption)), 0, rows, i * ClipTokenizer.SEQUENCE_LENGTH,
                    ClipTokenizer.SEQUENCE_LENGTH);
            float[] posteriorNoise = Seeds.gaussians(random, per);
            cache.sample(k, posteriorNoise, 0, scale, z0, i * per);
            t[i] = random.nextInt(DiffusionSchedule.TRAIN_STEPS);
            tf[i] = t[i];
            w[i] = (float) objective.weight(t[i], settings.minSnrGamma());
            float[] e = Seeds.gaussians(random, per);
            System.arraycopy(e, 0, eps, i * per, per);
        }
        objective.schedule().addNoise(z0, eps, t, noisy);
        float[] target = new float[b * per];
        objective.target(z0, eps, t, target);
        return new Batch(noisy, target, tf, w, rows, texts);
    }

    /** One update: returns {loss, gradient norm before clipping}. */
    double[] step(Models models, AdamW adam, NDManager manager, long step, double lr) {
        Batch data = batch(step);
        int b = settings.batch();
        int c = architecture.unet().inChannels();
        int side = architecture.latentSize();
        try (NDManager work = manager.newSubManager(); NDScope scope = new NDScope()) {
            NDArray x = OwnedTensors.of(work, data.noisy(), b, c, side, side);
            NDArray target = OwnedTensors.of(work, data.target(), b, c, side, side);
            NDArray t = OwnedTensors.of(work, data.timesteps(), b);
            NDArray w = OwnedTensors.of(work, data.weights(), b);
            NDArray ids = OwnedTensors.of(work, data.tokenRows(), b, ClipTokenizer.SEQUENCE_LENGTH);
            float value = Float.NaN;
            double norm = Double.NaN;
            for (int attempt = 1; attempt <= Gradients.ATTEMPTS; attempt++) {
                try (AutogradScope plain = AutogradScope.enter();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray context = models.text().forward(ids, 1);
                    NDArray prediction = models.unet().forward(x, t, context);
                    NDArray perSample = prediction.sub(target).square().reshape(b, -1).mean(new int[] {1});
                    NDArray loss = perSample.mul(w).mean();
                    collector.backward(loss);
                    value = loss.getFloat();
                }
                norm = Gradients.clip(models.parameters(), 1.0);
                if (Double.isFinite(value) && Double.isFinite(norm)) {
                    adam.step(lr);
                    Gradients.zero(models.parameters());
                    break;
                }
                log.printf(Locale.ROOT, "unet: step %d, attempt %d: loss %s, gradient norm %s (non-finite: %s)%s%n", step,
                        attempt, value, norm, Gradients.nonFiniteSummary(models.parameters()),
                        attempt < Gradients.ATTEMPTS ? "; computing it again" : "; step skipped");
                Gradients.zero(models.parameters());
            }
            return new double[] {value, norm};
        }
    }
}
