package dev.osmosis.app.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.sqlite.SQLiteConfig;

/**
 * The studio's SQLite database (one file, {@code studio.db}). SQLite rather than H2 because its
 * file format is stable, documented and readable from every language a researcher uses (sqlite3,
 * Python's sqlite3, pandas), and because its write-ahead log with {@code synchronous=FULL} makes
 * every committed row durable across a crash or power cut of the studio: a transaction is either
 * in the file or not. One connection, used under this object's lock.
 */
public final class Database implements AutoCloseable {
    static final int SCHEMA_VERSION = 1;

    private final Path file;
    private final Connection connection;

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Database(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Opens (creating or migrating) the database; SQLException when the file is not a usable database. */
    public static Database open(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(5000);
        Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try {
            Database db = new Database(file, c);
            db.migrate();
            return db;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Opens the database, or, when the file is damaged beyond SQLite's own recovery, moves it aside
     * as {@code studio.db.damaged-TIME} and starts a new one (the PNG files still hold every
     * parameter, so {@link ImageArchive#recover()} fills the history again).
     *
     * @return the database and the path the damaged file was moved to, or null
     */
    public static Opened openOrReplace(Path file) throws SQLException {
        try {
            return new Opened(open(file), null);
        } catch (SQLException e) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + stamp);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                for (String suffix : new String[] {"-wal", "-shm"}) {
                    Path side = file.resolveSibling(file.getFileName() + suffix);
                    if (Files.exists(side)) {
                        Files.move(side, aside.resolveSibling(aside.getFileName() + suffix),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } catch (IOException io) {
                e.addSuppressed(io);
                throw e;
            }
            return new Opened(open(file), aside);
        }
    }

    public record Opened(Database database, Path movedAside) {}

    private void migrate() throws SQLException {
        int version = read(c -> {
            try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
        if (version > SCHEMA_VERSION) {
            throw new SQLException(file + ": made by a newer studio (schema " + version + ", this one knows "
                    + SCHEMA_VERSION + ")");
        }
        if (version < 1) {
            write(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("""
                            CREATE TABLE IF NOT EXISTS images (
                              id              INTEGER PRIMARY KEY AUTOINCREMENT,
                              created_at      TEXT    NOT NULL,
                              file            TEXT    NOT NULL UNIQUE,
                              prompt          TEXT    NOT NULL,
                              negative_prompt TEXT    NOT NULL,
                              model           TEXT,
                              sampler         TEXT    NOT NULL,
                              steps           INTEGER NOT NULL,
                              cfg_scale       REAL    NOT NULL,
                              seed            INTEGER NOT NULL,
                              width           INTEGER NOT NULL,
                              height          INTEGER NOT NULL,
                              batch_size      INTEGER NOT NULL,
                              batch_index     INTEGER NOT NULL,
                              clip_skip       INTEGER NOT NULL,
                              img2img         INTEGER NOT NULL,
                              strength        REAL,
                              plugins         TEXT    NOT NULL,
                              parameters      TEXT    NOT NULL,
                              elapsed_ms      INTEGER,
                              latents_file    TEXT
                            )""");
                    s.executeUpdate("CREATE INDEX IF NOT EXISTS images_created ON images(created_at)");
                    s.executeUpdate("CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                    s.executeUpdate("PRAGMA user_version = 1");
                }
                return null;
            });
        }
    }

    public Path file() {
        return file;
    }

    /** Runs {@code work} under the lock (reads see every committed write). */
    public synchronized <T> T read(Work<T> work) throws SQLException {
        return work.run(connection);
    }

    /** Runs {@code work} in one transaction: all of it is committed, or none. */
    public synchronized <T> T write(Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (!connection.isClosed()) {
                connection.close();
            }
        } catch (SQLException e) {
            System.getLogger("osmosis.studio").log(System.Logger.Level.WARNING, "closing " + file, e);
        }
    }
}
