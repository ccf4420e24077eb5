package dev.switchboard.namespaces.core;

import java.util.Map;

/** Reading settings from environment variables. */
public final class EnvVars {
    private EnvVars() {
    }

    /** The variable as an integer; {@code fallback} when absent or blank, a clear error when not a number. */
    public static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
    }
}
