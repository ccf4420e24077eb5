package dev.switchboard.app.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.switchboard.namespaces.core.SettingsReader;

/**
 * Typed reads of one {@link ConfigSource}; every failure is a {@link ConfigException} naming the variable.
 * Every variable read is recorded with its effective value (the one set, else the default): that record is the one
 * list of the server's variables ({@link ConfigVariables}) and what {@code check-config} prints.
 */
final class ConfigParser implements SettingsReader {
    private final ConfigSource source;
    private final Map<String, String> effective = new LinkedHashMap<>();

    ConfigParser(ConfigSource source) {
        this.source = source;
    }

    /** Every variable read so far, in reading order, with its value or default ("" when unset without one). */
    Map<String, String> effectiveValues() {
        return Collections.unmodifiableMap(effective);
    }

    private String read(String name, Object fallback) {
        String value = source.get(name);
        effective.putIfAbsent(name, value != null ? value : fallback == null ? "" : fallback.toString());
        return value;
    }

    @Override
    public String string(String name, String fallback) {
        String value = read(name, fallback);
        return value == null ? fallback : value;
    }

    /** Null when unset. */
    @Override
    public String optional(String name) {
        return read(name, null);
    }

    int port(String name, int fallback) {
        return intInRange(name, fallback, 0, 65535);
    }

    @Override
    public int intInRange(String name, int fallback, int min, int max) {
        String value = read(name, fallback);
        if (value == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "must be an integer, got '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new ConfigException(name, "must be between " + min + " and " + max + ", got " + value);
        }
        return (int) parsed;
    }

    @Override
    public Duration millis(String name, long fallbackMillis, long minMillis) {
        String value = read(name, fallbackMillis);
        if (value == null) {
            return Duration.ofMillis(fallbackMillis);
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "must be a number of milliseconds, got '" + value + "'");
        }
        if (parsed < minMillis || parsed > Duration.ofDays(1).toMillis()) {
            throw new ConfigException(name, "must be between " + minMillis + " and 86400000 ms, got " + value);
        }
        return Duration.ofMillis(parsed);
    }

    boolean bool(String name, boolean fallback) {
        String value = read(name, fallback);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(name, "must be true or false, got '" + value + "'");
        };
    }

    /** One of {@code allowed} (case-insensitive), returned as spelled in {@code allowed}. */
    String choice(String name, String fallback, String... allowed) {
        String value = read(name, fallback);
        if (value == null) {
            return fallback;
        }
        for (String option : allowed) {
            if (option.equalsIgnoreCase(value)) {
                return option;
            }
        }
        throw new ConfigException(name, "must be one of " + String.join("|", allowed) + ", got '" + value + "'");
    }

    /** Comma-separated, trimmed, blanks dropped; null when unset. */
    @Override
    public List<String> list(String name) {
        String value = read(name, null);
        if (value == null) {
            return null;
        }
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            String trimmed = item.trim();
            if (!trimmed.isEmpty()) {
                items.add(trimmed);
            }
        }
        return items;
    }

    @Override
    public ConfigException invalid(String name, String message) {
        return new ConfigException(name, message);
    }

    /** A bind address; must resolve. */
    String host(String name, String fallback) {
        String value = string(name, fallback);
        resolve(name, value);
        return value;
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void resolve(String name, String host) {
        try {
            InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigException(name, "cannot resolve bind address '" + host + "'");
        }
    }
}
