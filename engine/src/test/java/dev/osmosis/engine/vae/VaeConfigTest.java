package dev.osmosis.engine.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.osmosis.engine.io.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The vae/config.json of stable-diffusion-v1-5 (SD 2.x has the same keys, sample_size 768). */
    private static final String SD15 = """
            {"_class_name": "AutoencoderKL", "_diffusers_version": "0.6.0", "act_fn": "silu",
             "block_out_channels": [128, 256, 512, 512],
             "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D"],
             "in_channels": 3, "latent_channels": 4, "layers_per_block": 2, "norm_num_groups": 32,
             "out_channels": 3, "sample_size": 512,
             "up_block_types": ["UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"]}
            """;

    @Test
    void sdConfigJsonGivesTheSdVae() throws IOException {
        VaeConfig c = VaeConfig.fromJson(JSON.readTree(SD15));
        assertEquals(VaeConfig.sd(), c);
        assertEquals(8, c.downsampleFactor());
        assertEquals(0.18215, c.scalingFactor());
    }

    @Test
    void missingKeysTakeDiffusersDefaults() throws IOException {
        VaeConfig c = VaeConfig.fromJson(JSON.readTree("{}"));
        assertEquals(new VaeConfig(3, 3, 4, List.of(64), 1, 32, 0.18215), c);
        assertEquals(1, c.downsampleFactor());
    }

    @Test
    void otherBlockTypeIsAModelFormatErrorNamingTheFileAndField(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, SD15.replace("\"UpDecoderBlock2D\", \"UpDecoderBlock2D\"]",
                "\"UpDecoderBlock2D\", \"AttnUpDecoderBlock2D\"]"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> VaeConfig.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("up_block_types[3]"), e.getMessage());
        assertTrue(e.getMessage().contains("AttnUpDecoderBlock2D"), e.getMessage());
    }

    @Test
    void blockTypeCountMustMatchBlockOutChannels() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VaeConfig.fromJson(JSON.readTree(
                "{\"block_out_channels\": [32, 64], \"down_block_types\": [\"DownEncoderBlock2D\"]}")));
        assertTrue(e.getMessage().contains("down_block_types"), e.getMessage());
    }

    @Test
    void unsupportedActivationIsNamed() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VaeConfig.fromJson(JSON.readTree("{\"act_fn\": \"gelu\"}")));
        assertTrue(e.getMessage().contains("act_fn"), e.getMessage());
    }

    @Test
    void channelsThatDoNotSplitIntoGroupsAreRejected() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VaeConfig.fromJson(
                JSON.readTree("{\"block_out_channels\": [48], \"norm_num_groups\": 32}")));
        assertTrue(e.getMessage().contains("norm_num_groups"), e.getMessage());
    }

    @Test
    void missingFileIsAModelFormatErrorNamingIt(@TempDir Path dir) {
        Path file = dir.resolve("config.json");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> VaeConfig.read(file));
        assertEquals(file + ": file not found (a diffusers vae folder holds config.json)", e.getMessage());
    }

    @Test
    void brokenJsonIsAModelFormatErrorNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"block_out_channels\": [128,");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> VaeConfig.read(file));
        assertTrue(e.getMessage().startsWith(file + ": cannot be read as JSON"), e.getMessage());
    }
}
