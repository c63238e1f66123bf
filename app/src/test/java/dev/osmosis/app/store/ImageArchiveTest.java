package dev.osmosis.app.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.app.testing.FakeEngine;
import dev.osmosis.engine.image.PngFile;
import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.GenerationResult;
import dev.osmosis.engine.pipeline.Infotext;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageArchiveTest {
    @TempDir
    Path home;

    private static GenerationResult result(GenerationRequest r) {
        List<BufferedImage> images = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        List<String> params = new ArrayList<>();
        for (int k = 0; k < r.batch(); k++) {
            images.add(FakeEngine.image(r.width(), r.height(), Color.ORANGE));
            seeds.add(r.seed() + k);
            params.add(Infotext.format(r, r.seed() + k, "tiny"));
        }
        return new GenerationResult(images, seeds, params, new float[r.batch() * 4 * 8 * 8],
                new long[] {r.batch(), 4, 8, 8}, List.of(), Duration.ofMillis(1234), Duration.ZERO);
    }

    private Database open() throws Exception {
        return Database.open(home.resolve("studio.db"));
    }

    @Test
    void savesPngsWithParametersAndRowsWithEveryField() throws Exception {
        try (Database db = open()) {
            ImageArchive archive = new ImageArchive(new HistoryStore(db, home.resolve("images")));
            GenerationRequest r = GenerationRequest.builder().prompt("a green ring").negativePrompt("noise")
                    .sampler("ddim").steps(7).cfgScale(6).seed(41).size(64, 64).batch(2).clipSkip(2).build();
            List<HistoryEntry> saved = archive.save(r, result(r), "tiny", true);
            assertEquals(2, saved.size());
            HistoryEntry e = saved.get(1);
            assertTrue(e.id() > 0);
            assertEquals(42, e.seed());
            assertEquals(1, e.batchIndex());
            assertTrue(Files.exists(e.file()));
            assertEquals(e.parameters(), PngFile.readParameters(e.file()).orElseThrow());
            assertTrue(e.parameters().contains("Seed: 42"));
            assertNotNull(saved.get(0).latentsFile());
            assertTrue(Files.exists(saved.get(0).latentsFile()));

            HistoryEntry back = archive.history().get(e.id()).orElseThrow();
            assertEquals(e, back);
            assertEquals("ddim", back.sampler());
            assertEquals(2, back.clipSkip());
            assertEquals(6.0, back.cfgScale());
        }
    }

    @Test
    void listIsNewestFirstAndSearchable() throws Exception {
        try (Database db = open()) {
            ImageArchive archive = new ImageArchive(new HistoryStore(db, home.resolve("images")));
            for (String p : List.of("a red star", "a blue ring", "100% blue_sky")) {
                GenerationRequest r = GenerationRequest.builder().prompt(p).seed(p.length()).size(64, 64).build();
                archive.save(r, result(r), "tiny", false);
                Thread.sleep(3);
            }
            HistoryStore h = archive.history();
            assertEquals(List.of("100% blue_sky", "a blue ring", "a red star"),
                    h.list("", 10).stream().map(HistoryEntry::prompt).toList());
            assertEquals(2, h.list("BLUE", 10).size());
            assertEquals(List.of("100% blue_sky"), h.list("100%", 10).stream().map(HistoryEntry::prompt).toList());
            assertEquals(List.of("a blue ring"), h.list("11", 10).stream().map(HistoryEntry::prompt).toList(),
                    "an exact seed matches");
            assertEquals(3, h.count());
        }
    }

    @Test
    void rowsSurviveAnUncleanShutdown() throws Exception {
        Database first = open();
        ImageArchive archive = new ImageArchive(new HistoryStore(first, home.resolve("images")));
        GenerationRequest r = GenerationRequest.builder().prompt("kept").size(64, 64).build();
        archive.save(r, result(r), "tiny", false);
        // no close(): as if the studio was killed; a second process opens the same file
        try (Database second = open()) {
            assertEquals(1, new HistoryStore(second, home.resolve("images")).count());
        }
        first.close();
    }

    @Test
    void deleteRemovesRowAndFile() throws Exception {
        try (Database db = open()) {
            ImageArchive archive = new ImageArchive(new HistoryStore(db, home.resolve("images")));
            GenerationRequest r = GenerationRequest.builder().prompt("gone").size(64, 64).build();
            HistoryEntry e = archive.save(r, result(r), "tiny", true).get(0);
            archive.delete(e);
            assertFalse(Files.exists(e.file()));
            assertFalse(Files.exists(e.latentsFile()));
            assertEquals(0, archive.history().count());
        }
    }

    @Test
    void recoverPutsBackPngsWithoutRowsAndClearsLeftovers() throws Exception {
        Path images = home.resolve("images");
        Path day = Files.createDirectories(images.resolve("2026-01-01"));
        GenerationRequest r = GenerationRequest.builder().prompt("orphan (star:1.2)").sampler("euler").steps(5)
                .seed(77).size(64, 64).build();
        // written, then the studio died before the row was committed
        PngFile.write(day.resolve("orphan.png"), FakeEngine.image(64, 64, Color.BLUE), Infotext.format(r, 77, "tiny"));
        Files.writeString(day.resolve(".half.png123.tmp"), "interrupted write");
        Files.writeString(day.resolve("old.png.deleted"), "marked for deletion");
        PngFile.write(day.resolve("foreign.png"), FakeEngine.image(8, 8, Color.RED), null);
        try (Database db = open()) {
            ImageArchive archive = new ImageArchive(new HistoryStore(db, images));
            List<HistoryEntry> back = archive.recover();
            assertEquals(1, back.size());
            HistoryEntry e = back.get(0);
            assertEquals("orphan (star:1.2)", e.prompt());
            assertEquals("euler", e.sampler());
            assertEquals(77, e.seed());
            assertEquals("tiny", e.model());
            assertFalse(Files.exists(day.resolve(".half.png123.tmp")));
            assertFalse(Files.exists(day.resolve("old.png.deleted")));
            assertTrue(archive.recover().isEmpty(), "a second pass finds nothing new");
        }
    }

    @Test
    void exportCopiesWithoutOverwriting() throws Exception {
        try (Database db = open()) {
            ImageArchive archive = new ImageArchive(new HistoryStore(db, home.resolve("images")));
            GenerationRequest r = GenerationRequest.builder().prompt("out").size(64, 64).build();
            HistoryEntry e = archive.save(r, result(r), "tiny", false).get(0);
            Path dir = home.resolve("export");
            List<Path> first = archive.export(List.of(e), dir);
            List<Path> second = archive.export(List.of(e), dir);
            assertFalse(first.get(0).equals(second.get(0)));
            assertEquals(e.parameters(), PngFile.readParameters(second.get(0)).orElseThrow());
        }
    }

    @Test
    void aDamagedDatabaseIsMovedAsideAndANewOneStarted() throws Exception {
        Path file = home.resolve("studio.db");
        Files.write(file, "this is not a database, it was overwritten".repeat(100).getBytes());
        Database.Opened opened = Database.openOrReplace(file);
        try (Database db = opened.database()) {
            assertNotNull(opened.movedAside());
            assertTrue(Files.exists(opened.movedAside()));
            assertEquals(0, new HistoryStore(db, home.resolve("images")).count());
        }
    }

    @Test
    void settingsRoundTrip() throws Exception {
        try (Database db = open()) {
            SettingsStore s = new SettingsStore(db);
            assertTrue(s.get("x").isEmpty());
            s.put("x", "1");
            s.put("x", "2");
            assertEquals("2", s.get("x").orElseThrow());
            s.put("broken", "{not json");
            assertTrue(s.getJson("broken", new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {}).isEmpty());
        }
    }
}
