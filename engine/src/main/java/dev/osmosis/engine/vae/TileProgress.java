package dev.osmosis.engine.vae;

/** Told after each decoded tile; may throw to stop a long decode (cancellation). */
@FunctionalInterface
public interface TileProgress {
    TileProgress NONE = (done, total) -> { };

    void tileDone(int done, int total);
}
