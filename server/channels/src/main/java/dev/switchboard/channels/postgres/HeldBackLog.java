package dev.switchboard.channels.postgres;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A WARN that whoever can NOTIFY may cause as often as it likes (any role that connects to the database may
 * NOTIFY any channel) is let through at most once a second, saying how many were held back since the last one.
 */
final class HeldBackLog {
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final AtomicLong lastPassed = new AtomicLong(System.nanoTime() - SECOND_NANOS);
    private final AtomicLong heldBack = new AtomicLong();

    /** How many were held back since the last one let through; -1: hold this one back. */
    long pass() {
        long now = System.nanoTime();
        long last = lastPassed.get();
        if (now - last < SECOND_NANOS || !lastPassed.compareAndSet(last, now)) {
            heldBack.incrementAndGet();
            return -1;
        }
        return heldBack.getAndSet(0);
    }
}
