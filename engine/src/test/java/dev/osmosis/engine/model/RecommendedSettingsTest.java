package dev.osmosis.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.engine.io.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommendedSettingsTest {
    @Test
    void aFolderWithoutTheFileGetsStableDiffusionsSettings(@TempDir Path dir) {
        assertEquals(7.5, RecommendedSettings.load(dir).cfgScale());
    }

    @Test
    void theFileSetsTheGuidanceScale(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(RecommendedSettings.FILE), "{\"cfg_scale\": 3.0}");
        assertEquals(3.0, RecommendedSettings.load(dir).cfgScale());
    }

    @Test
    void badValuesNameTheFileAndTheField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(RecommendedSettings.FILE);
        for (String json : new String[] {"{\"cfg_scale\": 0.5}", "{\"cfg_scale\": 1e9}", "{\"cfg_scale\": \"high\"}",
            "[3]", "{\"cfg_scale\": 3", ""}) {
            Files.writeString(file, json);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> RecommendedSettings.load(dir),
                    json);
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        }
        Files.writeString(file, "{\"cfg_scale\": 40}");
        assertTrue(assertThrows(ModelFormatException.class, () -> RecommendedSettings.load(dir)).getMessage()
                .contains("cfg_scale"));
    }
}
