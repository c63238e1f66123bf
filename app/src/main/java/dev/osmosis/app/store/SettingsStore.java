package dev.osmosis.app.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What the studio remembers between runs (the prompt form, added models, plugin switches, theme),
 * as JSON values by key in the database's settings table: committed at once, so a crash keeps it.
 */
public final class SettingsStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Database db;

    public SettingsStore(Database db) {
        this.db = db;
    }

    public Optional<String> get(String key) {
        try {
            return db.read(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT value FROM settings WHERE key = ?")) {
                    s.setString(1, key);
                    try (ResultSet rs = s.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                    }
                }
            });
        } catch (SQLException e) {
            throw new StoreException("reading setting '" + key + "'", e);
        }
    }

    public void put(String key, String value) {
        try {
            db.write(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
                    s.setString(1, key);
                    s.setString(2, value);
                    return s.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new StoreException("saving setting '" + key + "'", e);
        }
    }

    /** The value as {@code type}, or empty when missing or unreadable (a setting never blocks the start). */
    public <T> Optional<T> getJson(String key, TypeReference<T> type) {
        return get(key).flatMap(v -> {
            try {
                return Optional.ofNullable(JSON.readValue(v, type));
            } catch (JsonProcessingException e) {
                return Optional.empty();
            }
        });
    }

    public void putJson(String key, Object value) {
        try {
            put(key, JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("setting '" + key + "' cannot be written as JSON", e);
        }
    }
}
