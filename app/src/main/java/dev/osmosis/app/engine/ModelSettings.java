package dev.osmosis.app.engine;

import dev.osmosis.engine.model.ModelOptions;

/**
 * How to load a model: the device and what the model's files may not say (the CLI's --device,
 * --prediction and --text-encoder-heads).
 *
 * @param device "cpu" or "gpu"
 * @param predictionType null to trust the files, else "epsilon" or "v_prediction"
 * @param textEncoderHeads null to infer, else the single-file checkpoint's text encoder heads
 */
public record ModelSettings(String device, String predictionType, Integer textEncoderHeads) {
    public static final ModelSettings DEFAULT = new ModelSettings("cpu", null, null);

    public ModelSettings {
        device = device == null ? "cpu" : device;
        if (!device.equals("cpu") && !device.equals("gpu")) {
            throw new IllegalArgumentException("device: expected cpu or gpu, got '" + device + "'");
        }
        if (predictionType != null && !predictionType.equals("epsilon") && !predictionType.equals("v_prediction")) {
            throw new IllegalArgumentException("prediction: expected epsilon or v_prediction, got '" + predictionType + "'");
        }
    }

    public ModelOptions options() {
        return new ModelOptions(predictionType, textEncoderHeads);
    }
}
