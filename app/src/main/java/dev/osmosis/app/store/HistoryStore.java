package dev.osmosis.app.store;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The images table. Files are stored relative to the images folder, so the studio's data folder
 * can be moved or backed up as a whole.
 */
public final class HistoryStore {
    private static final String COLUMNS = "id, created_at, file, prompt, negative_prompt, model, sampler, steps,"
            + " cfg_scale, seed, width, height, batch_size, batch_index, clip_skip, img2img, strength, plugins, parameters,"
            + " elapsed_ms, latents_file";

    /** Fixed width, so that text order is time order. */
    private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private final Database db;
    private final Path imagesDir;

    public HistoryStore(Database db, Path imagesDir) {
        this.db = db;
        this.imagesDir = imagesDir.toAbsolutePath();
    }

    public Path imagesDir() {
        return imagesDir;
    }

    /** Inserts the entries in one transaction; returns them with their ids. */
    public List<HistoryEntry> insert(List<HistoryEntry> entries) {
        try {
            return db.write(c -> {
                List<HistoryEntry> stored = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("INSERT INTO images(" + COLUMNS.substring(4)
                        + ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
                    for (HistoryEntry e : entries) {
                        int i = 1;
                        s.setString(i++, TIME.format(e.createdAt()));
                        s.setString(i++, relative(e.file()));
                        s.setString(i++, e.prompt());
                        s.setString(i++, e.negativePrompt());
                        s.setString(i++, e.model());
                        s.setString(i++, e.sampler());
                        s.setInt(i++, e.steps());
                        s.setDouble(i++, e.cfgScale());
                        s.setLong(i++, e.seed());
                        s.setInt(i++, e.width());
                        s.setInt(i++, e.height());
                        s.setInt(i++, e.batchSize());
                        s.setInt(i++, e.batchIndex());
                        s.setInt(i++, e.clipSkip());
                        s.setInt(i++, e.isImg2Img() ? 1 : 0);
                        if (e.strength() == null) {
                            s.setNull(i++, Types.REAL);
                        } else {
                            s.setDouble(i++, e.strength());
                        }
                        s.setString(i++, e.plugins());
                        s.setString(i++, e.parameters());
                        s.setLong(i++, e.elapsedMillis());
                        s.setString(i++, e.latentsFile() == null ? null : relative(e.latentsFile()));
                        s.executeUpdate();
                        try (ResultSet keys = s.getGeneratedKeys()) {
                            keys.next();
                            stored.add(e.withId(keys.getLong(1)));
                        }
                    }
                }
                return stored;
            });
        } catch (SQLException e) {
            throw new StoreException("saving " + entries.size() + " image(s)", e);
        }
    }

    /**
     * Newest first. {@code search} matches the prompt, negative prompt, model or sampler (substring,
     * any case) or the exact seed; blank means everything.
     */
    public List<HistoryEntry> list(String search, int limit) {
        String q = search == null ? "" : search.strip();
        String where = q.isEmpty() ? "" : " WHERE prompt LIKE ?1 ESCAPE '\\' OR negative_prompt LIKE ?1 ESCAPE '\\'"
                + " OR model LIKE ?1 ESCAPE '\\' OR sampler LIKE ?1 ESCAPE '\\' OR CAST(seed AS TEXT) = ?2";
        try {
            return db.read(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM images" + where
                        + " ORDER BY created_at DESC, id DESC LIMIT " + Math.max(1, limit))) {
                    if (!q.isEmpty()) {
                        s.setString(1, "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
                        s.setString(2, q);
                    }
                    return readAll(s);
                }
            });
        } catch (SQLException e) {
            throw new StoreException("reading the history", e);
        }
    }

    public Optional<HistoryEntry> get(long id) {
        try {
            return db.read(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM images WHERE id = ?")) {
                    s.setLong(1, id);
                    return readAll(s).stream().findFirst();
                }
            });
        } catch (SQLException e) {
            throw new StoreException("reading image " + id, e);
        }
    }

    public int count() {
        try {
            return db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM images")) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            });
        } catch (SQLException e) {
            throw new StoreException("counting images", e);
        }
    }

    public boolean delete(long id) {
        try {
            return db.write(c -> {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM images WHERE id = ?")) {
                    s.setLong(1, id);
                    return s.executeUpdate() > 0;
                }
            });
        } catch (SQLException e) {
            throw new StoreException("deleting image " + id, e);
        }
    }

    /** Every PNG the history knows, absolute. */
    public Set<Path> files() {
        try {
            return db.read(c -> {
                Set<Path> out = new HashSet<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT file FROM images")) {
                    while (rs.next()) {
                        out.add(absolute(rs.getString(1)));
                    }
                }
                return out;
            });
        } catch (SQLException e) {
            throw new StoreException("listing image files", e);
        }
    }

    private List<HistoryEntry> readAll(PreparedStatement s) throws SQLException {
        List<HistoryEntry> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                double strength = rs.getDouble("strength");
                Double str = rs.wasNull() ? null : strength;
                String latents = rs.getString("latents_file");
                out.add(new HistoryEntry(rs.getLong("id"), Instant.parse(rs.getString("created_at")),
                        absolute(rs.getString("file")), rs.getString("prompt"), rs.getString("negative_prompt"),
                        rs.getString("model"), rs.getString("sampler"), rs.getInt("steps"), rs.getDouble("cfg_scale"),
                        rs.getLong("seed"), rs.getInt("width"), rs.getInt("height"), rs.getInt("batch_size"),
                        rs.getInt("batch_index"), rs.getInt("clip_skip"), str, rs.getString("plugins"),
                        rs.getString("parameters"), rs.getLong("elapsed_ms"),
                        latents == null ? null : absolute(latents)));
            }
        }
        return out;
    }

    private String relative(Path file) {
        Path abs = file.toAbsolutePath();
        return abs.startsWith(imagesDir) ? imagesDir.relativize(abs).toString().replace('\\', '/') : abs.toString();
    }

    private Path absolute(String stored) {
        Path p = Path.of(stored);
        return p.isAbsolute() ? p : imagesDir.resolve(p);
    }
}
