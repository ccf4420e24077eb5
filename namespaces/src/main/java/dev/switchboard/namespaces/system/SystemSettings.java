package dev.switchboard.namespaces.system;

import dev.switchboard.namespaces.core.SettingsReader;

/**
 * Settings of /system.
 *
 * @param history           samples of a sampler replayed to a new subscriber (SYSTEM_HISTORY, default 30; 0 = none)
 * @param defaultIntervalMs interval when the client gives none (SYSTEM_DEFAULT_INTERVAL_MS, default 2000)
 * @param minIntervalMs     smallest interval a client may ask for (SYSTEM_MIN_INTERVAL_MS, default 500)
 * @param maxIntervalMs     largest interval a client may ask for (SYSTEM_MAX_INTERVAL_MS, default 3600000)
 * @param topProcesses      how many processes (by CPU) a sample lists (SYSTEM_TOP_PROCESSES, default 10)
 */
public record SystemSettings(int history, long defaultIntervalMs, long minIntervalMs, long maxIntervalMs, int topProcesses) {

    public SystemSettings {
        if (history < 0 || minIntervalMs < 1 || maxIntervalMs < minIntervalMs
                || defaultIntervalMs < minIntervalMs || defaultIntervalMs > maxIntervalMs || topProcesses < 0) {
            throw new IllegalArgumentException("invalid /system settings: history=" + history + " defaultIntervalMs="
                    + defaultIntervalMs + " minIntervalMs=" + minIntervalMs + " maxIntervalMs=" + maxIntervalMs
                    + " topProcesses=" + topProcesses);
        }
    }

    /** Reads the variables named above; unset ones keep their default. */
    public static SystemSettings read(SettingsReader r) {
        SystemSettings d = defaults();
        long min = r.millis("SYSTEM_MIN_INTERVAL_MS", d.minIntervalMs(), 1).toMillis();
        long max = r.millis("SYSTEM_MAX_INTERVAL_MS", d.maxIntervalMs(), 1).toMillis();
        if (max < min) {
            throw r.invalid("SYSTEM_MAX_INTERVAL_MS", "must not be below SYSTEM_MIN_INTERVAL_MS (" + min + ")");
        }
        long dflt = r.millis("SYSTEM_DEFAULT_INTERVAL_MS", Math.max(min, Math.min(max, d.defaultIntervalMs())), 1).toMillis();
        if (dflt < min || dflt > max) {
            throw r.invalid("SYSTEM_DEFAULT_INTERVAL_MS", "must be between SYSTEM_MIN_INTERVAL_MS (" + min
                    + ") and SYSTEM_MAX_INTERVAL_MS (" + max + "), got " + dflt);
        }
        return r.checked("SYSTEM_DEFAULT_INTERVAL_MS", () -> new SystemSettings(
                r.intInRange("SYSTEM_HISTORY", d.history(), 0, 100_000), dflt, min, max,
                r.intInRange("SYSTEM_TOP_PROCESSES", d.topProcesses(), 0, 1000)));
    }

    public static SystemSettings defaults() {
        return new SystemSettings(30, 2000, 500, 3_600_000, 10);
    }
}
