package dev.switchboard.app.guard;

import dev.switchboard.engineio.AddressCounts;

/** Counts admitted namespace connections per client address; {@code max} 0 = unlimited. */
final class ConnectionLimiter {
    private final int max;
    private final AddressCounts<String> counts = new AddressCounts<>();

    ConnectionLimiter(int max) {
        this.max = max;
    }

    boolean atLimit(String ip) {
        return max > 0 && count(ip) >= max;
    }

    void acquire(String ip) {
        if (max > 0) {
            counts.increment(ip);
        }
    }

    void release(String ip) {
        if (max > 0) {
            counts.decrement(ip);
        }
    }

    int count(String ip) {
        return counts.count(ip);
    }

    int max() {
        return max;
    }
}
