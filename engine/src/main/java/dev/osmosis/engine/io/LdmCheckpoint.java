package dev.osmosis.engine.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.osmosis.engine.nn.Weights;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A single-file original-LDM Stable Diffusion 1.x/2.x checkpoint ({@code model.diffusion_model.*},
 * {@code first_stage_model.*}, {@code cond_stage_model.*}) seen as the three diffusers components:
 * tensors under diffusers keys and an inferred diffusers config.json for each.
 *
 * <p>Tensors are read on request from the memory-mapped file and widened to float32 (fp16, bf16 and
 * fp32 files alike), so a multi-GB checkpoint is never held in the Java heap twice. Configs follow
 * the rules of {@link LdmConfigInference}; an original inference .yaml/.json with the checkpoint's
 * base name ({@link LdmSidecar}) supplies what the weights cannot tell, such as v-prediction.
 *
 * <pre>{@code
 * try (LdmCheckpoint ckpt = LdmCheckpoint.open(file)) {
 *     Weights unet = ckpt.weights(Component.UNET, manager);
 *     ObjectNode unetConfig = ckpt.config(Component.UNET);
 * }
 * }</pre>
 */
public final class LdmCheckpoint implements AutoCloseable {
    /** A diffusers pipeline component, named like its folder. */
    public enum Component {
        UNET("unet"), VAE("vae"), TEXT_ENCODER("text_encoder");

        private final String folder;

        Component(String folder) {
            this.folder = folder;
        }

        public String folder() {
            return folder;
        }
    }

    /**
     * @param sidecar          the LDM config to use; null looks for one beside the checkpoint
     * @param textEncoderHeads the text encoder's head count; null infers max(1, width / 64)
     */
    public record Options(Path sidecar, Integer textEncoderHeads) {
        public static final Options DEFAULT = new Options(null, null);

        public Options withSidecar(Path file) {
            return new Options(file, textEncoderHeads);
        }

        public Options withTextEncoderHeads(int heads) {
            return new Options(sidecar, heads);
        }
    }

    private final SafetensorsFile file;
    private final Map<Component, Map<String, LdmKeyMap.Source>> sources;
    private final Map<Component, ObjectNode> configs;
    private final boolean v2;
    private final String predictionType;
    private final LdmSidecar sidecar;

    private LdmCheckpoint(SafetensorsFile file, Map<Component, Map<String, LdmKeyMap.Source>> sources,
                          Map<Component, ObjectNode> configs, boolean v2, String predictionType, LdmSidecar sidecar) {
        this.file = file;
        this.sources = sources;
        this.configs = configs;
        this.v2 = v2;
        this.predictionType = predictionType;
        this.sidecar = sidecar;
    }

    public static LdmCheckpoint open(Path path) {
        return open(path, Options.DEFAULT);
    }

    public static LdmCheckpoint open(Path path, Options options) {
        SafetensorsFile file = SafetensorsFile.open(path);
        try {
            return convert(file, options);
        } catch (RuntimeException | Error e) {
            file.close();
            throw e;
        }
    }

    private static LdmCheckpoint convert(SafetensorsFile file, Options options) {
        Path path = file.path();
        Map<String, TensorInfo> tensors = file.tensors();
        if (LdmKeyMap.hasPrefix(tensors, "conditioner.embedders.")) {
            throw new ModelFormatException(path + ": an SDXL checkpoint (conditioner.embedders.* keys);"
                    + " only SD1/SD2 single files are supported");
        }
        if (!LdmKeyMap.hasPrefix(tensors, LdmKeyMap.UNET)) {
            throw new ModelFormatException(path + ": not a Stable Diffusion checkpoint: no "
                    + LdmKeyMap.UNET + "* keys (a diffusers component file? open its folder instead)");
        }
        // 1. rename every component's tensors to diffusers keys
        Map<Component, Map<String, LdmKeyMap.Source>> sources = new EnumMap<>(Component.class);
        sources.put(Component.UNET, LdmKeyMap.unet(path, tensors));
        if (LdmKeyMap.hasPrefix(tensors, LdmKeyMap.VAE)) {
            sources.put(Component.VAE, LdmKeyMap.vae(path, tensors));
        }
        boolean openClip = LdmKeyMap.hasPrefix(tensors, LdmKeyMap.OPEN_CLIP);
        if (openClip) {
            sources.put(Component.TEXT_ENCODER, LdmKeyMap.openClipText(path, tensors));
        } else if (LdmKeyMap.hasPrefix(tensors, LdmKeyMap.CLIP)) {
            sources.put(Component.TEXT_ENCODER, LdmKeyMap.clipText(tensors));
        }

        // 2. the sidecar config, then the family: SD2 conditions on OpenCLIP's 1024-wide tokens
        Path sidecarPath = options.sidecar() != null ? options.sidecar() : LdmSidecar.find(path).orElse(null);
        LdmSidecar sidecar = sidecarPath == null ? null : LdmSidecar.read(sidecarPath);
        Map<String, long[]> unetShapes = shapes(sources.get(Component.UNET));
        long[] toK = unetShapes.get("mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight");
        boolean v2 = openClip || toK != null && toK.length == 2 && toK[1] == 1024;
        String predictionType = sidecar == null ? null : sidecar.predictionType();

        // 3. configs from shapes
        Map<Component, ObjectNode> configs = new EnumMap<>(Component.class);
        ObjectNode unet = LdmConfigInference.unet(path, unetShapes, v2, sidecar, predictionType);
        configs.put(Component.UNET, unet);
        if (sources.containsKey(Component.VAE)) {
            configs.put(Component.VAE, LdmConfigInference.vae(path, shapes(sources.get(Component.VAE)),
                    unet.get("sample_size").intValue(), sidecar));
        }
        if (sources.containsKey(Component.TEXT_ENCODER)) {
            configs.put(Component.TEXT_ENCODER, LdmConfigInference.clipText(path,
                    shapes(sources.get(Component.TEXT_ENCODER)), openClip, options.textEncoderHeads()));
        }
        return new LdmCheckpoint(file, sources, configs, v2, predictionType, sidecar);
    }

    public Path path() {
        return file.path();
    }

    /** SD 2.x: an OpenCLIP text encoder, or 1024-wide cross-attention. */
    public boolean isV2() {
        return v2;
    }

    /**
     * diffusers' prediction_type from the sidecar ("epsilon", "v_prediction", "sample"), or null
     * without one: the weights do not show whether an SD2 model predicts noise or v.
     */
    public String predictionType() {
        return predictionType;
    }

    /** The sidecar config that was read, if any. */
    public Optional<Path> sidecar() {
        return Optional.ofNullable(sidecar).map(LdmSidecar::file);
    }

    /** Whether the file holds this component (the UNet always; VAE and text encoder usually). */
    public boolean has(Component component) {
        return sources.containsKey(component);
    }

    /** The component's inferred diffusers config.json (a copy: change it freely). */
    public ObjectNode config(Component component) {
        require(component);
        return configs.get(component).deepCopy();
    }

    /** The component's diffusers tensor keys, sorted. */
    public Set<String> keys(Component component) {
        return Collections.unmodifiableSet(require(component).keySet());
    }

    public long[] shape(Component component, String key) {
        return source(component, key).shape().clone();
    }

    /** One tensor under its diffusers key, as float32. */
    public float[] floats(Component component, String key) {
        LdmKeyMap.Source source = source(component, key);
        float[] all = file.floats(source.ldmKey());
        if (source.chunks() == 1) {
            return all;
        }
        int part = all.length / source.chunks();
        return Arrays.copyOfRange(all, source.chunk() * part, (source.chunk() + 1) * part);
    }

    /** Every tensor of the component as float32 NDArrays in {@code manager}. */
    public Weights weights(Component component, NDManager manager) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (String key : keys(component)) {
            arrays.put(key, Weights.toArray(manager, floats(component, key), shape(component, key)));
        }
        return Weights.of(file.path() + " [" + component.folder() + "]", arrays);
    }

    @Override
    public void close() {
        file.close();
    }

    private Map<String, LdmKeyMap.Source> require(Component component) {
        Map<String, LdmKeyMap.Source> map = sources.get(component);
        if (map == null) {
            String prefix = component == Component.VAE ? LdmKeyMap.VAE : "cond_stage_model.";
            throw new ModelFormatException(file.path() + ": the checkpoint has no " + component.folder()
                    + " (no " + prefix + "* keys)");
        }
        return map;
    }

    private LdmKeyMap.Source source(Component component, String key) {
        LdmKeyMap.Source source = require(component).get(key);
        if (source == null) {
            throw new ModelFormatException(file.path() + ": no " + component.folder() + " tensor '" + key + "'");
        }
        return source;
    }

    private static Map<String, long[]> shapes(Map<String, LdmKeyMap.Source> sources) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        sources.forEach((key, source) -> shapes.put(key, source.shape()));
        return shapes;
    }
}
