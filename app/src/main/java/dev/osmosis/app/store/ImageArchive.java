package dev.osmosis.app.store;

import dev.osmosis.engine.image.GenerationParameters;
import dev.osmosis.engine.image.PngFile;
import dev.osmosis.engine.io.SafetensorsWriter;
import dev.osmosis.engine.pipeline.GenerationRequest;
import dev.osmosis.engine.pipeline.GenerationResult;
import dev.osmosis.engine.pipeline.Infotext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The gallery on disk: one PNG per image (parameters in its "parameters" chunk, written atomically)
 * plus its row in the history. The order of writes makes a crash at any point harmless: the PNG is
 * complete before its row is committed, a deletion marks the file before the row goes, and
 * {@link #recover()} at start-up puts back any PNG without a row and clears half-done work.
 */
public final class ImageArchive {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("HHmmss-SSS").withZone(ZoneId.systemDefault());
    private static final String DELETED = ".deleted";

    private final HistoryStore history;
    private final Path imagesDir;

    public ImageArchive(HistoryStore history) {
        this.history = history;
        this.imagesDir = history.imagesDir();
    }

    public HistoryStore history() {
        return history;
    }

    /** Writes every image of {@code result} and its row; returns the stored entries in batch order. */
    public List<HistoryEntry> save(GenerationRequest request, GenerationResult result, String modelName,
            boolean saveLatents) throws IOException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Path dir = imagesDir.resolve(DAY.format(now));
        Files.createDirectories(dir);
        List<HistoryEntry> entries = new ArrayList<>();
        Path latents = null;
        for (int k = 0; k < result.images().size(); k++) {
            long seed = result.seeds().get(k);
            Path file = unique(dir, STAMP.format(now) + "-" + seed, ".png");
            PngFile.write(file, result.images().get(k), result.parameters().get(k));
            if (saveLatents && k == 0) {
                latents = file.resolveSibling(stem(file) + "-latents.safetensors");
                SafetensorsWriter.create().put("latents", result.latentShape(), result.latents())
                        .metadata("parameters", result.parameters().get(0)).write(latents);
            }
            entries.add(HistoryEntry.of(request, k, seed, modelName, result.parameters().get(k), file, latents,
                    result.elapsed().toMillis(), now));
        }
        return history.insert(entries);
    }

    /** Removes the image from the history and its files from disk. */
    public void delete(HistoryEntry entry) throws IOException {
        Path marked = null;
        if (Files.exists(entry.file())) {
            marked = entry.file().resolveSibling(entry.file().getFileName() + DELETED);
            Files.move(entry.file(), marked, StandardCopyOption.REPLACE_EXISTING);
        }
        history.delete(entry.id());
        if (marked != null) {
            Files.deleteIfExists(marked);
        }
        if (entry.latentsFile() != null && entry.batchIndex() == 0) {
            Files.deleteIfExists(entry.latentsFile());
        }
    }

    /**
     * Repairs what a crash may have left: deletes temp files of interrupted writes and files marked
     * for deletion, and stores a row for every PNG of the images folder the history lacks (its
     * parameters chunk gives the settings). Returns the entries it put back.
     */
    public List<HistoryEntry> recover() throws IOException {
        if (!Files.isDirectory(imagesDir)) {
            return List.of();
        }
        Set<Path> known = history.files();
        List<HistoryEntry> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(imagesDir, 3)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.endsWith(DELETED) || (name.startsWith(".") && name.endsWith(".tmp"))) {
                Files.deleteIfExists(f);
            } else if (name.endsWith(".png") && !known.contains(f.toAbsolutePath())) {
                readEntry(f).ifPresent(found::add);
            }
        }
        return found.isEmpty() ? List.of() : history.insert(found);
    }

    /** An entry for a PNG carrying parameters, or empty when it has none (not one of ours). */
    static Optional<HistoryEntry> readEntry(Path png) {
        try {
            Optional<String> text = PngFile.readParameters(png);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            String parameters = text.get();
            FileTime modified = Files.getLastModifiedTime(png);
            Instant created = modified.toInstant().truncatedTo(ChronoUnit.MILLIS);
            String model = GenerationParameters.parse(parameters).setting("Model");
            GenerationRequest r;
            try {
                r = Infotext.restore(parameters, GenerationRequest.builder().build()).build();
            } catch (IllegalArgumentException e) {
                GenerationParameters p = GenerationParameters.parse(parameters);
                r = GenerationRequest.builder().prompt(p.prompt()).negativePrompt(p.negativePrompt()).build();
            }
            Path latents = png.resolveSibling(stem(png) + "-latents.safetensors");
            return Optional.of(HistoryEntry.of(r, 0, r.seed(), model, parameters, png.toAbsolutePath(),
                    Files.exists(latents) ? latents : null, 0, created));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Copies the PNGs (and their latents) into {@code dir}, never overwriting; returns the copies. */
    public List<Path> export(List<HistoryEntry> entries, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (HistoryEntry e : entries) {
            if (!Files.exists(e.file())) {
                throw new IOException(e.file() + ": image file is missing");
            }
            Path target = unique(dir, stem(e.file()), ".png");
            Files.copy(e.file(), target, StandardCopyOption.COPY_ATTRIBUTES);
            out.add(target);
            if (e.latentsFile() != null && Files.exists(e.latentsFile())) {
                Path lt = unique(dir, stem(target) + "-latents", ".safetensors");
                Files.copy(e.latentsFile(), lt);
                out.add(lt);
            }
        }
        return out;
    }

    private static Path unique(Path dir, String stem, String ext) {
        Path p = dir.resolve(stem + ext);
        for (int n = 2; Files.exists(p); n++) {
            p = dir.resolve(stem + "-" + n + ext);
        }
        return p;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

}
