package dev.osmosis.engine.model;

/**
 * What a model's files may not say, given by the person.
 *
 * @param predictionType "epsilon" or "v_prediction" to override the files (SD2-v single files need
 *     it without a sidecar), or null
 * @param textEncoderHeads the text encoder's attention heads for single-file checkpoints whose width
 *     is not 64 per head (real SD1/SD2 need nothing), or null
 */
public record ModelOptions(String predictionType, Integer textEncoderHeads) {
    public static final ModelOptions DEFAULT = new ModelOptions(null, null);

    public ModelOptions {
        if (textEncoderHeads != null && textEncoderHeads < 1) {
            throw new IllegalArgumentException("text encoder heads must be at least 1, got " + textEncoderHeads);
        }
    }
}
