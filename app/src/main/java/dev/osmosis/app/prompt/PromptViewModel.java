package dev.osmosis.app.prompt;

import dev.osmosis.app.engine.ModelSettings;
import dev.osmosis.engine.image.GenerationParameters;
import dev.osmosis.engine.nn.Precision;
import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.LatentsFile;
import dev.osmosis.engine.pipeline.GenerationRequest.PluginRequest;
import dev.osmosis.engine.pipeline.Infotext;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The generation form: every option of the CLI's {@code generate} command as a property (the model
 * itself is the catalog's), turned into a {@link GenerationRequest} when a job is queued, and filled
 * back from PNG parameters ("send to prompt", a dropped PNG).
 */
public final class PromptViewModel {
    public static final List<String> PREDICTIONS = List.of("auto", "epsilon", "v_prediction");
    public static final List<String> PRECISIONS = List.of("fp32", "bf16");

    private final StringProperty prompt = new SimpleStringProperty("");
    private final StringProperty negativePrompt = new SimpleStringProperty("");
    private final StringProperty sampler = new SimpleStringProperty("euler_a");
    private final IntegerProperty steps = new SimpleIntegerProperty(20);
    private final DoubleProperty cfgScale = new SimpleDoubleProperty(7.5);
    private final ObjectProperty<SeedMode> seedMode = new SimpleObjectProperty<>(SeedMode.RANDOM);
    private final LongProperty seed = new SimpleLongProperty(0);
    private final LongProperty lastSeed = new SimpleLongProperty(-1);
    private final IntegerProperty width = new SimpleIntegerProperty(512);
    private final IntegerProperty height = new SimpleIntegerProperty(512);
    private final IntegerProperty batch = new SimpleIntegerProperty(1);
    private final IntegerProperty clipSkip = new SimpleIntegerProperty(1);
    private final ObjectProperty<InitImage> initImage = new SimpleObjectProperty<>();
    private final DoubleProperty strength = new SimpleDoubleProperty(0.75);
    private final ObjectProperty<Path> initNoise = new SimpleObjectProperty<>();
    private final BooleanProperty saveLatents = new SimpleBooleanProperty(false);
    private final StringProperty device = new SimpleStringProperty("cpu");
    private final StringProperty precision = new SimpleStringProperty("fp32");
    private final StringProperty prediction = new SimpleStringProperty("auto");
    private final IntegerProperty textEncoderHeads = new SimpleIntegerProperty(0);
    private final IntegerProperty nativeSize = new SimpleIntegerProperty(512);
    private final DoubleProperty recommendedCfg = new SimpleDoubleProperty(7.5);
    private final StringBinding problem;
    private final LongSupplier random;

    public PromptViewModel() {
        this(new SecureRandom()::nextLong);
    }

    /** @param random source of random seeds (tests give a fixed one) */
    public PromptViewModel(LongSupplier random) {
        this.random = random;
        Observable[] fields = {prompt, negativePrompt, sampler, steps, cfgScale, seed, width, height, batch, clipSkip,
            initImage, strength};
        problem = Bindings.createStringBinding(this::check, fields);
    }

    // --- properties, bound by PromptView ---------------------------------------------------------

    public StringProperty promptProperty() { return prompt; }
    public StringProperty negativePromptProperty() { return negativePrompt; }
    public StringProperty samplerProperty() { return sampler; }
    public IntegerProperty stepsProperty() { return steps; }
    public DoubleProperty cfgScaleProperty() { return cfgScale; }
    public ObjectProperty<SeedMode> seedModeProperty() { return seedMode; }
    public LongProperty seedProperty() { return seed; }
    /** The seed of the last finished image, -1 before the first. */
    public LongProperty lastSeedProperty() { return lastSeed; }
    public IntegerProperty widthProperty() { return width; }
    public IntegerProperty heightProperty() { return height; }
    public IntegerProperty batchProperty() { return batch; }
    public IntegerProperty clipSkipProperty() { return clipSkip; }
    public ObjectProperty<InitImage> initImageProperty() { return initImage; }
    public DoubleProperty strengthProperty() { return strength; }
    /** txt2img starting latents (--init-noise), or null. */
    public ObjectProperty<Path> initNoiseProperty() { return initNoise; }
    public BooleanProperty saveLatentsProperty() { return saveLatents; }
    public StringProperty deviceProperty() { return device; }
    public StringProperty precisionProperty() { return precision; }
    /** "auto" (the model's files say), "epsilon" or "v_prediction". */
    public StringProperty predictionProperty() { return prediction; }
    /** 0 = infer from the checkpoint. */
    public IntegerProperty textEncoderHeadsProperty() { return textEncoderHeads; }
    /** The loaded model's native image side. */
    public IntegerProperty nativeSizeProperty() { return nativeSize; }

    /** What is wrong with the form, naming the field, or null when a request can be built. */
    public StringBinding problemProperty() {
        return problem;
    }

    private String check() {
        try {
            base(0).build();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    // --- turning the form into work --------------------------------------------------------------

    /** The seed the next job uses under the current mode. */
    public long nextSeed() {
        return switch (seedMode.get()) {
            case FIXED -> seed.get();
            case REUSE_LAST -> lastSeed.get() >= 0 ? lastSeed.get() : seed.get();
            case RANDOM -> random.getAsLong() & GenerationRequest.MAX_SEED;
        };
    }

    /** Records a finished image's seed (for "reuse last" and the seed field). */
    public void recordSeed(long used) {
        lastSeed.set(used);
        if (seedMode.get() != SeedMode.FIXED) {
            seed.set(used);
        }
    }

    /** Copies the last image's seed into the field and fixes it (A1111's recycle button). */
    public void reuseLastSeed() {
        if (lastSeed.get() >= 0) {
            seed.set(lastSeed.get());
        }
        seedMode.set(SeedMode.FIXED);
    }

    /** The request for one job; validation errors name the field, init-noise errors the file. */
    public GenerationRequest buildRequest(long jobSeed, List<PluginRequest> plugins) {
        GenerationRequest.Builder b = base(jobSeed).plugins(plugins);
        if (initNoise.get() != null && initImage.get() == null) {
            b.initialLatents(readLatents(initNoise.get()));
        }
        return b.build();
    }

    private GenerationRequest.Builder base(long jobSeed) {
        return GenerationRequest.builder().prompt(prompt.get()).negativePrompt(negativePrompt.get())
                .sampler(sampler.get()).steps(steps.get()).cfgScale(cfgScale.get()).seed(jobSeed)
                .size(width.get(), height.get()).batch(batch.get()).clipSkip(clipSkip.get())
                .initImage(initImage.get() == null ? null : initImage.get().image()).strength(strength.get())
                .precision(Precision.parse(precision.get()));
    }

    private float[] readLatents(Path file) {
        long[] expected = {batch.get(), 4, height.get() / 8, width.get() / 8};
        return LatentsFile.read(file).requireShape(file, expected,
                "batch " + batch.get() + " at " + width.get() + "x" + height.get()).values();
    }

    public ModelSettings modelSettings() {
        String p = prediction.get();
        int heads = textEncoderHeads.get();
        return new ModelSettings(device.get(), p == null || p.equals("auto") ? null : p, heads > 0 ? heads : null);
    }

    /** A newly loaded model's native size replaces the size when the size was the previous model's. */
    public void adoptNativeSize(int side) {
        if (width.get() == nativeSize.get() && height.get() == nativeSize.get()) {
            width.set(side);
            height.set(side);
        }
        nativeSize.set(side);
    }

    /** Likewise the guidance scale: a newly loaded model's recommendation replaces the previous model's. */
    public void adoptRecommendedCfg(double cfg) {
        if (cfgScale.get() == recommendedCfg.get()) {
            cfgScale.set(cfg);
        }
        recommendedCfg.set(cfg);
    }

    // --- restoring ---------------------------------------------------------------------------------

    /** What a parameters text held besides the form's fields. */
    public record Restored(GenerationRequest request, String model, List<PluginRequest> plugins) {}

    /**
     * Fills the form from an A1111 "parameters" text (settings it lacks keep their value) and fixes
     * the seed to the one it names. The init image stays; the caller applies model and plugins.
     */
    public Restored applyParameters(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no generation parameters in this image");
        }
        GenerationRequest base;
        try {
            base = base(Math.max(0, seed.get())).initImage(null).build();
        } catch (IllegalArgumentException e) {
            base = GenerationRequest.builder().build();
        }
        GenerationRequest r = Infotext.restore(text, base).build();
        apply(r);
        String model = GenerationParameters.parse(text).setting("Model");
        return new Restored(r, model, r.plugins());
    }

    /** Sets every field a request carries (not the init image), with the seed fixed. */
    public void apply(GenerationRequest r) {
        prompt.set(r.prompt());
        negativePrompt.set(r.negativePrompt());
        sampler.set(r.sampler());
        steps.set(r.steps());
        cfgScale.set(r.cfgScale());
        seed.set(r.seed());
        seedMode.set(SeedMode.FIXED);
        width.set(r.width());
        height.set(r.height());
        batch.set(r.batch());
        clipSkip.set(r.clipSkip());
        strength.set(r.strength());
        precision.set(r.precision().label());
    }

    // --- remembering between runs ------------------------------------------------------------------

    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt", prompt.get());
        m.put("negative", negativePrompt.get());
        m.put("sampler", sampler.get());
        m.put("steps", steps.get());
        m.put("cfg", cfgScale.get());
        m.put("seedMode", seedMode.get().name());
        m.put("seed", seed.get());
        m.put("width", width.get());
        m.put("height", height.get());
        m.put("batch", batch.get());
        m.put("clipSkip", clipSkip.get());
        m.put("strength", strength.get());
        m.put("device", device.get());
        m.put("precision", precision.get());
        m.put("prediction", prediction.get());
        m.put("textEncoderHeads", textEncoderHeads.get());
        m.put("saveLatents", saveLatents.get());
        m.put("nativeSize", nativeSize.get());
        m.put("recommendedCfg", recommendedCfg.get());
        return m;
    }

    /** Takes back a snapshot; values of the wrong type or out of range are skipped, never fatal. */
    public void restore(Map<String, Object> m) {
        str(m, "prompt", prompt);
        str(m, "negative", negativePrompt);
        Object s = m.get("sampler");
        if (s instanceof String name && SamplerNames.all().contains(name)) {
            sampler.set(name);
        }
        integer(m, "steps", steps);
        if (m.get("cfg") instanceof Number n) {
            cfgScale.set(n.doubleValue());
        }
        if (m.get("seedMode") instanceof String mode) {
            try {
                seedMode.set(SeedMode.valueOf(mode));
            } catch (IllegalArgumentException ignored) {
                // an older studio's mode: keep the default
            }
        }
        if (m.get("seed") instanceof Number n && n.longValue() >= 0 && n.longValue() <= GenerationRequest.MAX_SEED) {
            seed.set(n.longValue());
        }
        integer(m, "width", width);
        integer(m, "height", height);
        integer(m, "batch", batch);
        integer(m, "clipSkip", clipSkip);
        if (m.get("strength") instanceof Number n) {
            strength.set(n.doubleValue());
        }
        if (m.get("device") instanceof String d && (d.equals("cpu") || d.equals("gpu"))) {
            device.set(d);
        }
        if (m.get("precision") instanceof String p && PRECISIONS.contains(p)) {
            precision.set(p);
        }
        if (m.get("prediction") instanceof String p && PREDICTIONS.contains(p)) {
            prediction.set(p);
        }
        integer(m, "textEncoderHeads", textEncoderHeads);
        if (m.get("saveLatents") instanceof Boolean b) {
            saveLatents.set(b);
        }
        integer(m, "nativeSize", nativeSize);
        if (m.get("recommendedCfg") instanceof Number n) {
            recommendedCfg.set(n.doubleValue());
        }
    }

    private static void str(Map<String, Object> m, String key, StringProperty p) {
        if (m.get(key) instanceof String v) {
            p.set(v);
        }
    }

    private static void integer(Map<String, Object> m, String key, IntegerProperty p) {
        if (m.get(key) instanceof Number n) {
            p.set(n.intValue());
        }
    }
}
