package dev.switchboard.namespaces.logs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.switchboard.namespaces.core.SettingsReader;

/**
 * The limits of a log stream, shared by /services and /deployments and read from the {@code LOGS_*} variables here
 * only; announced in the {@code connected} greeting.
 *
 * @param defaultTail  lines of history a subscriber gets when it gives no {@code tail} (LOGS_DEFAULT_TAIL, 100)
 * @param maxTail      largest {@code tail} accepted, also the ring of recent lines kept per stream (LOGS_MAX_TAIL, 1000)
 * @param maxBatch     lines per {@code logs} event at most (LOGS_BATCH_LINES, 500)
 * @param flushEvery   a partial batch is sent after this long (LOGS_FLUSH_MS, 50 ms)
 * @param maxLineBytes longer lines are cut and marked (LOGS_MAX_LINE_BYTES, 16384)
 */
public record LogLimits(int defaultTail, int maxTail, int maxBatch, Duration flushEvery, int maxLineBytes) {

    public static final LogLimits DEFAULTS = new LogLimits(100, 1000, 500, Duration.ofMillis(50), 16 * 1024);

    /** LOGS_MAX_TAIL, then LOGS_DEFAULT_TAIL (which may not exceed it), LOGS_BATCH_LINES, LOGS_FLUSH_MS, LOGS_MAX_LINE_BYTES. */
    public static LogLimits read(SettingsReader r) {
        LogLimits d = DEFAULTS;
        int max = r.intInRange("LOGS_MAX_TAIL", d.maxTail(), 1, 1_000_000);
        int dflt = r.intInRange("LOGS_DEFAULT_TAIL", Math.min(d.defaultTail(), max), 0, 1_000_000);
        if (dflt > max) {
            throw r.invalid("LOGS_DEFAULT_TAIL", "must not exceed LOGS_MAX_TAIL (" + max + "), got " + dflt);
        }
        return new LogLimits(dflt, max,
                r.intInRange("LOGS_BATCH_LINES", d.maxBatch(), 1, 1_000_000),
                r.millis("LOGS_FLUSH_MS", d.flushEvery().toMillis(), 1),
                r.intInRange("LOGS_MAX_LINE_BYTES", d.maxLineBytes(), 64, 16 << 20));
    }

    /** {@code {defaultTail, maxTail, batchLines, flushMs, maxLineBytes}} */
    public Map<String, Object> greeting() {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("defaultTail", defaultTail);
        limits.put("maxTail", maxTail);
        limits.put("batchLines", maxBatch);
        limits.put("flushMs", flushEvery.toMillis());
        limits.put("maxLineBytes", maxLineBytes);
        return limits;
    }
}
