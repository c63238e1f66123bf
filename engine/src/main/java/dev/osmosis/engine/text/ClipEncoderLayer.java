package dev.osmosis.engine.text;

import ai.djl.ndarray.NDArray;
import dev.osmosis.engine.nn.Activations;
import dev.osmosis.engine.nn.LayerNorm;
import dev.osmosis.engine.nn.Linear;
import dev.osmosis.engine.nn.ScaledDotProductAttention;
import dev.osmosis.engine.nn.Weights;

/**
 * One pre-LayerNorm block of the CLIP text transformer (transformers' {@code CLIPEncoderLayer}):
 * x + self_attn(layer_norm1(x)), then x + mlp(layer_norm2(x)).
 */
final class ClipEncoderLayer {
    private final LayerNorm layerNorm1;
    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear outProj;
    private final LayerNorm layerNorm2;
    private final Linear fc1;
    private final Linear fc2;
    private final int heads;
    private final String activation;

    /** @param w the weights under {@code text_model.encoder.layers.<i>} */
    ClipEncoderLayer(ClipTextConfig config, Weights w) {
        long d = config.hiddenSize();
        float eps = (float) config.layerNormEps();
        this.layerNorm1 = new LayerNorm(w.sub("layer_norm1"), d, eps);
        this.qProj = new Linear(w.sub("self_attn.q_proj"), d, d, true);
        this.kProj = new Linear(w.sub("self_attn.k_proj"), d, d, true);
        this.vProj = new Linear(w.sub("self_attn.v_proj"), d, d, true);
        this.outProj = new Linear(w.sub("self_attn.out_proj"), d, d, true);
        this.layerNorm2 = new LayerNorm(w.sub("layer_norm2"), d, eps);
        this.fc1 = new Linear(w.sub("mlp.fc1"), d, config.intermediateSize(), true);
        this.fc2 = new Linear(w.sub("mlp.fc2"), config.intermediateSize(), d, true);
        this.heads = config.numAttentionHeads();
        this.activation = config.hiddenAct();
    }

    /**
     * @param x [B, N, D]
     * @param causalMask additive [N, N] mask hiding later tokens
     */
    NDArray forward(NDArray x, NDArray causalMask) {
        NDArray h = layerNorm1.forward(x);
        NDArray attended = ScaledDotProductAttention.attend(qProj.forward(h), kProj.forward(h), vProj.forward(h),
                heads, causalMask);
        x = x.add(outProj.forward(attended));
        NDArray mlp = fc2.forward(Activations.apply(activation, fc1.forward(layerNorm2.forward(x))));
        return x.add(mlp);
    }
}
