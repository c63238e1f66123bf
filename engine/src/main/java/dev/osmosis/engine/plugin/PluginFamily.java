package dev.osmosis.engine.plugin;

/**
 * The three kinds of plugin, in the order they compose within a generation: membranes change what
 * the model knows (text conditioning, adapter weights), conditions add spatial residuals to the
 * UNet, accelerators decide last which parts of the (conditioned) UNet call are recomputed.
 */
public enum PluginFamily {
    MEMBRANE("Membranes", "concept erasure"),
    CONDITION("Conditions", "spatial control"),
    ACCELERATOR("Accelerators", "faster sampling");

    private final String label;
    private final String purpose;

    PluginFamily(String label, String purpose) {
        this.label = label;
        this.purpose = purpose;
    }

    public String label() {
        return label;
    }

    public String purpose() {
        return purpose;
    }
}
