package dev.switchboard.namespaces.system;

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

    public static SystemSettings defaults() {
        return new SystemSettings(30, 2000, 500, 3_600_000, 10);
    }
}
