package dev.switchboard.namespaces.core;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The server's typed configuration, as a namespace reads its settings from it. Every read is recorded as one of the
 * server's variables; every failure names its variable (the server then exits 2).
 */
public interface SettingsReader {

    /** The value, or {@code fallback} when unset. */
    String string(String name, String fallback);

    /** The value, or null when unset. */
    String optional(String name);

    /** Comma-separated, trimmed, blanks dropped; null when unset. */
    List<String> list(String name);

    int intInRange(String name, int fallback, int min, int max);

    Duration millis(String name, long fallbackMillis, long minMillis);

    /** The error that stops start-up for a bad value of {@code name}. */
    RuntimeException invalid(String name, String message);

    /** Runs a settings constructor; its own consistency checks ({@link IllegalArgumentException}) name {@code name}. */
    default <T> T checked(String name, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw invalid(name, e.getMessage());
        }
    }
}
