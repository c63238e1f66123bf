package dev.osmosis.app.store;

/** A database operation failed; the message says which one and why (the SQLite message). */
public final class StoreException extends RuntimeException {
    public StoreException(String what, Throwable cause) {
        super("history database: " + what + " failed (" + cause.getMessage() + ")", cause);
    }
}
