package dev.osmosis.app.queue;

/** Where a job is in its life; the last four are final. */
public enum JobState {
    QUEUED("Queued"),
    LOADING("Loading model"),
    RUNNING("Generating"),
    SAVING("Saving"),
    DONE("Done"),
    FAILED("Failed"),
    CANCELLED("Cancelled");

    private final String label;

    JobState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean isFinal() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }
}
