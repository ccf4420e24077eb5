package dev.switchboard.app.config;

import java.time.Duration;

/**
 * Giving the heap back after a connection storm ({@code dev.switchboard.app.memory.HeapTrim}).
 *
 * @param enabled          HEAP_TRIM_AFTER_BURST: off = never ask the JVM for a collection
 * @param burstConnections HEAP_TRIM_BURST_CONNECTIONS: sessions a storm must open before its end is noticed
 * @param quiet            the window that ends a storm: at most a twentieth of {@code burstConnections} opened in it
 * @param minInterval      at most one trim per this interval, however many storms
 */
public record HeapTrimSettings(boolean enabled, int burstConnections, Duration quiet, Duration minInterval) {
    public static final Duration QUIET = Duration.ofSeconds(1);
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(30);

    static HeapTrimSettings parse(ConfigParser p) {
        boolean enabled = p.bool("HEAP_TRIM_AFTER_BURST", true);
        int burst = p.intInRange("HEAP_TRIM_BURST_CONNECTIONS", 1000, 20, 10_000_000);
        return new HeapTrimSettings(enabled, burst, QUIET, MIN_INTERVAL);
    }

    /** Sessions opened in one {@link #quiet} window that still count as quiet (a trickle of reconnects). */
    public int quietConnections() {
        return burstConnections / 20;
    }

    @Override
    public String toString() {
        return "heapTrim=" + (enabled ? "on burstConnections=" + burstConnections : "off");
    }
}
