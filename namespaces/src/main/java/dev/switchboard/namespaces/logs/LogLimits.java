package dev.switchboard.namespaces.logs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The log limits a namespace announces in its {@code connected} greeting (see its settings for their meaning). */
public record LogLimits(int defaultTail, int maxTail, int maxBatch, Duration flushEvery, int maxLineBytes) {

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
