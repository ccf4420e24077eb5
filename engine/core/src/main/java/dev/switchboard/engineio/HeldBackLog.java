package dev.switchboard.engineio;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A log line that whoever sends us input can cause as often as it likes (a CONNECT to an unknown namespace, a
 * NOTIFY without its room field, a malformed Redis message) is let through at most once a second, saying how many were held back since the
 * last one: a flood of input must not become a flood of log lines.
 */
public final class HeldBackLog {
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final AtomicLong lastPassed = new AtomicLong(System.nanoTime() - SECOND_NANOS);
    private final AtomicLong heldBack = new AtomicLong();

    /** How many were held back since the last one let through; -1: hold this one back. */
    public long pass() {
        long now = System.nanoTime();
        long last = lastPassed.get();
        if (now - last < SECOND_NANOS || !lastPassed.compareAndSet(last, now)) {
            heldBack.incrementAndGet();
            return -1;
        }
        return heldBack.getAndSet(0);
    }
}
