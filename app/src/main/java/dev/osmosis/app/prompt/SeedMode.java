package dev.osmosis.app.prompt;

/** How the seed of the next generation is chosen. */
public enum SeedMode {
    /** A new random seed each time (shown in the result and stored with it). */
    RANDOM("Random"),
    /** The seed in the field, every time. */
    FIXED("Fixed"),
    /** The seed of the last finished image, so a tweak of the prompt keeps the composition. */
    REUSE_LAST("Reuse last");

    private final String label;

    SeedMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
