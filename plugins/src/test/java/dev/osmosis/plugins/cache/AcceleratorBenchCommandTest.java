package dev.osmosis.plugins.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.engine.testing.CliRun;
import dev.osmosis.engine.train.ldm.ShapesRecipe;
import dev.osmosis.engine.train.ldm.ShapesTraining;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench accelerators} through the real command line, on a shapes model trained for seconds:
 * a timing row per accelerator and, because the model knows its training world, the shapes-eval
 * accuracy with each accelerator and without.
 */
class AcceleratorBenchCommandTest {
    @Test
    void aShapesModelGetsTimingRowsAndAnAccuracyTable(@TempDir Path dir) {
        Path model = dir.resolve("model");
        new ShapesTraining(dir.resolve("work"), new PrintStream(new ByteArrayOutputStream()))
                .run(ShapesRecipe.micro(), model, ShapesTraining.Stage.EXPORT, Long.MAX_VALUE);

        CliRun run = CliRun.of("bench", "accelerators", "--no-sd15", "--no-embedded", "--model", model.toString(),
                "--steps", "4", "--seeds", "1", "--shapes-eval", "4");
        String text = run.out();
        assertEquals(0, run.exit(), text + run.err());
        assertTrue(text.contains("deepcache") && text.contains("fasterdiffusion"), text);
        assertTrue(text.contains("shapes eval of") && text.contains("all three"), text);
        // one accuracy line per configuration: off and the two accelerators
        long rows = text.lines().filter(l -> l.matches("^(off|deepcache|fasterdiffusion)\\S*\\s+[\\d.]+ %.*")).count();
        assertEquals(3, rows, text);
    }
}
