package dev.osmosis.engine.cli;

import static dev.osmosis.engine.testing.Reference.PIPELINE_ATOL;
import static dev.osmosis.engine.testing.Reference.PIPELINE_RTOL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.engine.image.PngFile;
import dev.osmosis.engine.io.SafetensorsFile;
import dev.osmosis.engine.io.SafetensorsWriter;
import dev.osmosis.engine.testing.CliRun;
import dev.osmosis.engine.testing.Fixtures;
import dev.osmosis.engine.testing.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The acceptance run through the real command line, and its one-line errors. */
class GenerateCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-sd1", "tiny-sd1/tiny-sd1-ldm.safetensors"})
    void generateReproducesTheReferencePipelineLatents(String model) throws IOException {
        Path noise = dir.resolve("noise.safetensors");
        Path latents = dir.resolve("out.safetensors");
        Path png = dir.resolve("x.png");
        try (Reference ref = Reference.of("pipeline_txt2img_ddim.safetensors")) {
            SafetensorsWriter.create().put("latents", ref.shape("in.latents"), ref.floats("in.latents")).write(noise);
            CliRun r = run("generate", "--model", Fixtures.path(model).toString(), "--prompt", "a photo of a cat",
                    "--negative", "blurry, low quality, watermark", "--init-noise", noise.toString(),
                    "--sampler", "ddim", "--steps", "4", "--cfg", "7.5", "--out", png.toString(),
                    "--save-latents", latents.toString(), "--text-encoder-heads", "4", "--quiet");
            assertEquals(0, r.exit(), r.err());
            try (SafetensorsFile saved = SafetensorsFile.open(latents)) {
                ref.assertClose("out.latents_final", saved.floats("latents"), PIPELINE_ATOL, PIPELINE_RTOL);
            }
        }
        String parameters = PngFile.readParameters(png).orElseThrow();
        assertTrue(parameters.startsWith("a photo of a cat\nNegative prompt: blurry, low quality, watermark\n"),
                parameters);
        assertTrue(parameters.contains("Steps: 4, Sampler: DDIM, CFG scale: 7.5, Seed: "), parameters);
        assertTrue(parameters.contains("Size: 96x64"), parameters);
    }

    @Test
    void batchWritesNumberedFilesWithConsecutiveSeeds() throws IOException {
        CliRun r = run("generate", "--model", Fixtures.tinySd1().toString(), "--prompt", "a cat", "--steps", "2",
                "--width", "64", "--height", "64", "--batch", "2", "--seed", "41", "--out",
                dir.resolve("b.png").toString(), "--quiet");
        assertEquals(0, r.exit(), r.err());
        assertTrue(PngFile.readParameters(dir.resolve("b-0.png")).orElseThrow().contains("Seed: 41"));
        assertTrue(PngFile.readParameters(dir.resolve("b-1.png")).orElseThrow().contains("Seed: 42"));
    }

    @Test
    void missingModelIsOneLineNamingThePath() {
        CliRun r = run("generate", "--model", dir.resolve("nope").toString(), "--prompt", "x", "--out",
                dir.resolve("x.png").toString());
        assertEquals(ErrorReporter.USER_ERROR, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(dir.resolve("nope") + ": model not found"), r.err());
        assertFalse(Files.exists(dir.resolve("x.png")));
    }

    @Test
    void pickleCheckpointIsRefusedWithTheConversionRecipe() throws IOException {
        Path ckpt = dir.resolve("model.ckpt");
        Files.write(ckpt, new byte[] {(byte) 0x80, 2, 'x'});
        CliRun r = run("generate", "--model", ckpt.toString(), "--prompt", "x", "--out", dir.resolve("x.png").toString());
        assertEquals(ErrorReporter.USER_ERROR, r.exit());
        assertTrue(r.err().contains("model.ckpt") && r.err().contains("safetensors"), r.err());
    }

    @Test
    void unknownSamplerListsTheChoices() {
        CliRun r = run("generate", "--model", Fixtures.tinySd1().toString(), "--prompt", "x", "--sampler", "plms2",
                "--out", dir.resolve("x.png").toString());
        assertEquals(ErrorReporter.USER_ERROR, r.exit());
        assertTrue(r.err().contains("sampler") && r.err().contains("euler_a") && r.err().contains("dpmpp_2m_karras"),
                r.err());
    }

    @Test
    void absurdSizeNamesTheField() {
        CliRun r = run("generate", "--model", Fixtures.tinySd1().toString(), "--prompt", "x", "--width", "100000",
                "--out", dir.resolve("x.png").toString());
        assertEquals(ErrorReporter.USER_ERROR, r.exit());
        assertTrue(r.err().contains("width: must be a multiple of 8"), r.err());
    }

    @Test
    void unreadableInitImageNamesTheFile() throws IOException {
        Path bad = dir.resolve("broken.png");
        Files.writeString(bad, "not a png");
        CliRun r = run("generate", "--model", Fixtures.tinySd1().toString(), "--prompt", "x", "--init-image",
                bad.toString(), "--out", dir.resolve("x.png").toString());
        assertEquals(ErrorReporter.USER_ERROR, r.exit());
        assertTrue(r.err().contains("broken.png"), r.err());
    }

    @Test
    void initNoiseOfTheWrongShapeIsExplained() throws IOException {
        Path noise = dir.resolve("noise.safetensors");
        SafetensorsWriter.create().put("latents", new long[] {1, 4, 8, 8}, new float[256]).write(noise);
        CliRun r = run("generate", "--model", Fixtures.tinySd1().toString(), "--prompt", "x", "--init-noise",
                noise.toString(), "--width", "96", "--out", dir.resolve("x.png").toString());
        assertEquals(ErrorReporter.USER_ERROR, r.exit());
        assertTrue(r.err().contains("noise.safetensors") && r.err().contains("shape"), r.err());
    }

    @Test
    void unknownPrecisionIsRefusedBeforeAnythingLoads() {
        CliRun r = run("generate", "--model", dir.resolve("nope").toString(), "--prompt", "x", "--precision", "fp8",
                "--out", dir.resolve("x.png").toString());
        assertEquals(ErrorReporter.USER_ERROR, r.exit());
        assertTrue(r.err().contains("precision") && r.err().contains("bf16") && !r.err().contains("nope"), r.err());
    }

    @Test
    void bf16PrecisionStaysCloseToFp32() throws IOException {
        float[][] latents = new float[2][];
        String[] precisions = {"fp32", "bf16"};
        for (int i = 0; i < 2; i++) {
            Path saved = dir.resolve(precisions[i] + ".safetensors");
            CliRun r = run("generate", "--model", Fixtures.tinySd1().toString(), "--prompt", "a cat", "--steps", "3",
                    "--seed", "5", "--sampler", "ddim", "--precision", precisions[i], "--save-latents",
                    saved.toString(), "--out", dir.resolve(precisions[i] + ".png").toString(), "--quiet");
            assertEquals(0, r.exit(), r.err());
            latents[i] = dev.osmosis.engine.pipeline.LatentsFile.read(saved).values();
        }
        double error = 0;
        double signal = 0;
        for (int k = 0; k < latents[0].length; k++) {
            error += Math.pow(latents[0][k] - latents[1][k], 2);
            signal += Math.pow(latents[0][k], 2);
        }
        // bf16 keeps 8 bits of mantissa (and is not a no-op): on this random-weight model three steps drift by ~3 %
        // of the latents (1.4 % per UNet call, docs/PERFORMANCE.md); a broken path would be off by ~100 %
        double relative = Math.sqrt(error / signal);
        assertTrue(relative > 0 && relative < 0.08, "bf16 against fp32: relative RMS difference " + relative);
    }
}
