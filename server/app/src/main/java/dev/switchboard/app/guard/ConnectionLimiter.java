package dev.switchboard.app.guard;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts admitted namespace connections per client address; {@code max} 0 = unlimited. */
final class ConnectionLimiter {
    private final int max;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    ConnectionLimiter(int max) {
        this.max = max;
    }

    boolean atLimit(String ip) {
        return max > 0 && count(ip) >= max;
    }

    void acquire(String ip) {
        if (max > 0) {
            counts.merge(ip, 1, Integer::sum);
        }
    }

    void release(String ip) {
        if (max > 0) {
            counts.computeIfPresent(ip, (key, count) -> count <= 1 ? null : count - 1);
        }
    }

    int count(String ip) {
        return counts.getOrDefault(ip, 0);
    }

    int max() {
        return max;
    }
}
