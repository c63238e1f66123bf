package dev.osmosis.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.osmosis.engine.io.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTextConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void missingKeysTakeTransformersDefaults() throws IOException {
        ClipTextConfig c = ClipTextConfig.fromJson(JSON.readTree("{\"hidden_size\": 768, \"num_attention_heads\": 12}"));
        assertEquals(new ClipTextConfig(768, 2048, 12, 12, 77, 49408, "quick_gelu", 1e-5), c);
        assertEquals(64, c.headDim());
    }

    @Test
    void fullClipConfigUsesItsTextConfig() throws IOException {
        ClipTextConfig c = ClipTextConfig.fromJson(JSON.readTree(
                "{\"text_config\": {\"hidden_size\": 1024, \"num_attention_heads\": 16, \"hidden_act\": \"gelu\"},"
                        + " \"vision_config\": {\"hidden_size\": 1280}}"));
        assertEquals(1024, c.hiddenSize());
        assertEquals("gelu", c.hiddenAct());
    }

    @Test
    void headsThatDoNotDivideTheWidthAreAModelFormatErrorNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"hidden_size\": 30, \"num_attention_heads\": 4}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ClipTextConfig.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("num_attention_heads"), e.getMessage());
    }

    @Test
    void nonIntegerSizeIsRejected() throws IOException {
        assertThrows(IllegalArgumentException.class,
                () -> ClipTextConfig.fromJson(JSON.readTree("{\"hidden_size\": \"wide\"}")));
    }
}
