package dev.osmosis.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.engine.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train shapes --micro} then {@code eval shapes} on what it wrote, through the real command line. */
class TrainAndEvalCommandTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void aMicroTrainingRunExportsAModelThatTheEvaluationReads(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model");
        CliRun train = run("train", "shapes", "--micro", "--work", dir.resolve("work").toString(), "--out",
                model.toString());
        assertEquals(0, train.exit(), train.err());
        assertTrue(train.out().contains("unet") && train.out().contains("steps/s") && train.out().contains("ETA"),
                train.out());
        assertTrue(train.out().contains("done: export"), train.out());

        CliRun again = run("train", "shapes", "--work", dir.resolve("work").toString(), "--out", model.toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(!again.out().contains("steps/s"), "a finished run only exports again: " + again.out());

        Path sheet = dir.resolve("sheet.png");
        Path card = dir.resolve("MODEL_CARD.md");
        Files.writeString(card, "# card\n\n<!-- eval:begin -->\nold\n<!-- eval:end -->\n\nafter\n");
        CliRun eval = run("eval", "shapes", "--model", model.toString(), "--samples", "4", "--seeds", "2", "--steps",
                "2", "--detector-check", "20", "--round-trip", "4", "--sheet", sheet.toString(), "--card",
                card.toString());
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.out().contains("| all | 4 |"), eval.out());
        assertTrue(eval.out().contains("detector on 20 ground-truth renders"), eval.out());
        assertTrue(Files.size(sheet) > 0 && Files.exists(dir.resolve("sheet.txt")));
        String updated = Files.readString(card);
        assertTrue(updated.contains("| all | 4 |") && !updated.contains("old") && updated.endsWith("after\n"),
                updated);
    }

    @Test
    void aRunGoesOnFromItsCheckpointWhenGivenMoreSteps(@TempDir Path dir) {
        Path work = dir.resolve("work");
        CliRun first = run("train", "shapes", "--micro", "--work", work.toString(), "--until", "vae");
        assertEquals(0, first.exit(), first.err());
        CliRun other = run("train", "shapes", "--work", work.toString(), "--until", "vae", "--vae-steps", "6");
        assertEquals(0, other.exit(), other.err());
        assertTrue(other.out().contains("resuming"), other.out());
    }
}
