package dev.osmosis.app.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.app.store.Database;
import dev.osmosis.app.store.SettingsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCatalogTest {
    @TempDir
    Path dir;

    @Test
    void embeddedFirstAddedRememberedAndSelectedAcrossRestarts() throws Exception {
        Path embedded = Files.createDirectories(dir.resolve("shapes"));
        Path folder = Files.createDirectories(dir.resolve("my-model"));
        Path file = Files.writeString(dir.resolve("sd15.safetensors"), "x");
        ModelSource shapes = new ModelSource("Shapes", embedded, true);
        try (Database db = Database.open(dir.resolve("s.db"))) {
            ModelCatalog c = new ModelCatalog(new SettingsStore(db), Optional.of(shapes));
            assertEquals(shapes, c.selected());
            c.add(folder);
            c.add(file);
            c.add(folder); // again: no duplicate
            assertEquals(3, c.models().size());
            assertEquals(folder.toAbsolutePath(), c.selected().path());
        }
        try (Database db = Database.open(dir.resolve("s.db"))) {
            ModelCatalog c = new ModelCatalog(new SettingsStore(db), Optional.of(shapes));
            assertEquals(3, c.models().size());
            assertEquals(folder.toAbsolutePath(), c.selected().path());
            assertEquals("sd15.safetensors", c.byName("sd15").orElseThrow().label());
            c.remove(c.byName("my-model").orElseThrow());
            assertEquals(2, c.models().size());
            assertEquals(shapes, c.selected());
            assertThrows(IllegalArgumentException.class, () -> c.remove(shapes));
        }
    }

    @Test
    void refusesWhatCanNeverLoadWithTheReason() throws Exception {
        Path ckpt = Files.writeString(dir.resolve("old.ckpt"), "pickle");
        Path txt = Files.writeString(dir.resolve("notes.txt"), "hi");
        try (Database db = Database.open(dir.resolve("s.db"))) {
            ModelCatalog c = new ModelCatalog(new SettingsStore(db), Optional.empty());
            var e = assertThrows(IllegalArgumentException.class, () -> c.add(ckpt));
            assertTrue(e.getMessage().contains("old.ckpt") && e.getMessage().contains("safetensors"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> c.add(txt));
            var missing = assertThrows(IllegalArgumentException.class, () -> c.add(dir.resolve("nope")));
            assertTrue(missing.getMessage().contains("not found"));
            assertTrue(c.models().isEmpty());
        }
    }
}
