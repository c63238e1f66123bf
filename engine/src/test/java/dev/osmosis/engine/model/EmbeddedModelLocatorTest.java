package dev.osmosis.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedModelLocatorTest {
    private final String saved = System.getProperty(EmbeddedModel.HOME_PROPERTY);

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(EmbeddedModel.HOME_PROPERTY);
        } else {
            System.setProperty(EmbeddedModel.HOME_PROPERTY, saved);
        }
    }

    @Test
    void theHomePropertyNamesTheInstallation(@TempDir Path home) throws Exception {
        Path model = home.resolve("resources/models").resolve(EmbeddedModel.DEFAULT_NAME);
        System.setProperty(EmbeddedModel.HOME_PROPERTY, home.toString());
        assertFalse(EmbeddedModel.locate(EmbeddedModel.DEFAULT_NAME).isPresent());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, EmbeddedModel::require);
        assertTrue(e.getMessage().contains(model.toString()), e.getMessage());
        Files.createDirectories(model);
        Files.writeString(model.resolve("model_index.json"), "{}");
        assertEquals(model, EmbeddedModel.require());
    }

    @Test
    void withoutThePropertyTheWorkingDirectoryOrAParentIsTheHome() {
        System.clearProperty(EmbeddedModel.HOME_PROPERTY);
        // the tests run in engine/; the repository root above it holds resources/models
        Path home = EmbeddedModel.home();
        Path cwd = Path.of("").toAbsolutePath();
        assertTrue(cwd.startsWith(home), home + " is not the working directory or one of its parents");
    }
}
