package dev.osmosis.engine.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.osmosis.engine.io.ModelFormatException;
import dev.osmosis.engine.nn.LayerNorm;
import dev.osmosis.engine.nn.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * transformers' {@code CLIPTextModel} as Stable Diffusion uses it: token + position embeddings,
 * pre-LN transformer blocks under a causal mask only (pad tokens are attended like any other, so
 * their outputs are part of the conditioning), and a final LayerNorm. Weight names are the HF ones
 * ({@code text_model.encoder.layers.0.self_attn.q_proj.weight}).
 */
public final class ClipTextEncoder {
    private static final Set<String> ACTIVATIONS = Set.of("quick_gelu", "gelu");

    private final ClipTextConfig config;
    private final NDArray tokenEmbedding;
    private final NDArray positionEmbedding;
    private final List<ClipEncoderLayer> layers;
    private final LayerNorm finalLayerNorm;

    public ClipTextEncoder(ClipTextConfig config, Weights weights) {
        if (!ACTIVATIONS.contains(config.hiddenAct())) {
            throw new ModelFormatException(weights.source() + ": unsupported text encoder hidden_act '"
                    + config.hiddenAct() + "' (expected one of " + ACTIVATIONS + ")");
        }
        Weights w = weights.sub("text_model");
        long d = config.hiddenSize();
        this.config = config;
        this.tokenEmbedding = w.get("embeddings.token_embedding.weight", config.vocabSize(), d);
        this.positionEmbedding = w.get("embeddings.position_embedding.weight", config.maxPositionEmbeddings(), d);
        this.layers = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(new ClipEncoderLayer(config, w.sub("encoder.layers", i)));
        }
        this.finalLayerNorm = new LayerNorm(w.sub("final_layer_norm"), d, (float) config.layerNormEps());
    }

    /** A diffusers text_encoder folder: config.json and model.safetensors. */
    public static ClipTextEncoder load(Path textEncoderDir, NDManager manager) {
        Path weights = textEncoderDir.resolve("model.safetensors");
        if (!Files.isRegularFile(weights)) {
            throw new ModelFormatException(weights + ": file not found (only safetensors text encoders are read)");
        }
        return new ClipTextEncoder(ClipTextConfig.read(textEncoderDir.resolve("config.json")),
                Weights.load(weights, manager));
    }

    public ClipTextConfig config() {
        return config;
    }

    /**
     * The conditioning SD feeds to the UNet: the output of layer {@code numHiddenLayers - clipSkip + 1}
     * followed by the final LayerNorm. clipSkip 1 is the last layer (last_hidden_state); 2 is A1111's
     * "clip skip 2" (penultimate layer); later layers are not computed.
     *
     * @param ids [B, N] int64 token ids, N at most max_position_embeddings
     * @return [B, N, D]
     */
    public NDArray forward(NDArray ids, int clipSkip) {
        if (clipSkip < 1 || clipSkip > layers.size()) {
            throw new IllegalArgumentException("clipSkip must be 1.." + layers.size() + ", got " + clipSkip);
        }
        NDArray x = embeddings(ids);
        NDArray mask = causalMask(ids.getManager(), x.getShape().get(1));
        for (int i = 0; i <= layers.size() - clipSkip; i++) {
            x = layers.get(i).forward(x, mask);
        }
        return finalLayerNorm.forward(x);
    }

    /**
     * transformers' {@code hidden_states}: the embeddings followed by each layer's output, all
     * without the final LayerNorm (numHiddenLayers + 1 arrays of [B, N, D]).
     */
    public List<NDArray> hiddenStates(NDArray ids) {
        List<NDArray> states = new ArrayList<>();
        NDArray x = embeddings(ids);
        states.add(x);
        NDArray mask = causalMask(ids.getManager(), x.getShape().get(1));
        for (ClipEncoderLayer layer : layers) {
            x = layer.forward(x, mask);
            states.add(x);
        }
        return states;
    }

    /** token_embedding[ids] + position_embedding[0..N-1]: [B, N, D]. */
    public NDArray embeddings(NDArray ids) {
        if (ids.getShape().dimension() != 2) {
            throw new IllegalArgumentException("token ids must be [batch, tokens], got " + ids.getShape());
        }
        long n = ids.getShape().get(1);
        if (n > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException(n + " tokens exceed max_position_embeddings "
                    + config.maxPositionEmbeddings());
        }
        NDArray tokens = Embedding.embedding(ids.toType(DataType.INT64, false), tokenEmbedding, SparseFormat.DENSE)
                .singletonOrThrow();
        if (n == config.maxPositionEmbeddings()) {
            return tokens.add(positionEmbedding);
        }
        NDArray positions = positionEmbedding.get(new NDIndex("0:{}", n));
        // the slice would otherwise live as long as the weights
        positions.attach(tokens.getManager());
        return tokens.add(positions);
    }

    /** The manager holding the weights, parent of the per-call working memory of {@link PromptEncoder}. */
    NDManager manager() {
        return tokenEmbedding.getManager();
    }

    public NDArray finalLayerNorm(NDArray hidden) {
        return finalLayerNorm.forward(hidden);
    }

    /** CLIP's pooled output: last_hidden_state ([B, N, D]) at the first position of the largest id (eos). */
    public NDArray pooledOutput(NDArray ids) {
        return pool(forward(ids, 1), ids);
    }

    /**
     * The row of each sequence at its first eos. Like transformers' legacy rule for configs with
     * eos_token_id 2, this is the first position of the largest id, which is eos in CLIP's vocabulary.
     *
     * @return [B, D]
     */
    public static NDArray pool(NDArray lastHiddenState, NDArray ids) {
        long batch = ids.getShape().get(0);
        int n = (int) ids.getShape().get(1);
        long[] flat = ids.toType(DataType.INT64, false).toLongArray();
        NDList rows = new NDList();
        for (int b = 0; b < batch; b++) {
            int best = 0;
            for (int t = 1; t < n; t++) {
                if (flat[b * n + t] > flat[b * n + best]) {
                    best = t;
                }
            }
            rows.add(lastHiddenState.get(b, best));
        }
        return NDArrays.stack(rows);
    }

    /** 0 on and below the diagonal, the most negative float above it (transformers' choice). */
    private static NDArray causalMask(NDManager manager, long n) {
        float[] mask = new float[(int) (n * n)];
        for (int q = 0; q < n; q++) {
            Arrays.fill(mask, (int) (q * n + q + 1), (int) ((q + 1) * n), -Float.MAX_VALUE);
        }
        return manager.create(mask, new Shape(n, n));
    }
}
