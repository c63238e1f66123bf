package dev.osmosis.app.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedModelTest {
    @Test
    void findsTheShippedFolderUnderTheInstallationOnlyWhenItIsAModel(@TempDir Path home) throws Exception {
        String before = System.getProperty("osmosis.home");
        System.setProperty("osmosis.home", home.toString());
        try {
            Path model = Files.createDirectories(home.resolve("resources/models/osmosis-shapes"));
            assertTrue(EmbeddedModel.find().isEmpty(), "a folder without model_index.json is not a model");
            Files.writeString(model.resolve("model_index.json"), "{}");
            ModelSource found = EmbeddedModel.find().orElseThrow();
            assertEquals(model.toAbsolutePath().normalize(), found.path());
            assertTrue(found.embedded());
        } finally {
            if (before == null) {
                System.clearProperty("osmosis.home");
            } else {
                System.setProperty("osmosis.home", before);
            }
        }
    }
}
