package dev.osmosis.app.gallery;

import dev.osmosis.app.store.HistoryEntry;

/** What a gallery image offers that crosses into other areas (the main view-model implements it). */
public interface GalleryActions {
    void show(HistoryEntry entry);

    void sendToPrompt(HistoryEntry entry);

    void useAsInitImage(HistoryEntry entry);
}
