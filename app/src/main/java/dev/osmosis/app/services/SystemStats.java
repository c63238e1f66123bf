package dev.osmosis.app.services;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Memory as the status bar shows it. The process's resident size counts PyTorch's native tensors,
 * which the Java heap numbers do not; where /proc is missing the heap is all there is.
 */
public final class SystemStats {
    private SystemStats() {}

    /** Resident set size in bytes, or -1 where the system does not say. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back to the heap
        }
        return -1;
    }

    public static long heapUsedBytes() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    public static long heapMaxBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    /** "812 MB", "1.4 GB". */
    public static String bytes(long n) {
        if (n < 0) {
            return "?";
        }
        double mb = n / (1024.0 * 1024.0);
        return mb < 1024 ? String.format(Locale.ROOT, "%.0f MB", mb) : String.format(Locale.ROOT, "%.1f GB", mb / 1024);
    }
}
