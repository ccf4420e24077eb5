package dev.switchboard.engineio;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A log line that whoever sends us input can cause as often as it likes (a CONNECT to an unknown namespace, a
 * NOTIFY without its room field, a malformed Redis message) is let through at most once an interval (a second
 * unless said), saying how many were held back since the last one: a flood of input must not become a flood of
 * log lines.
 */
public final class HeldBackLog {
    private final long intervalNanos;
    private final AtomicLong lastPassed;
    private final AtomicLong heldBack = new AtomicLong();

    public HeldBackLog() {
        this(Duration.ofSeconds(1));
    }

    public HeldBackLog(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.lastPassed = new AtomicLong(System.nanoTime() - intervalNanos);
    }

    /** How many were held back since the last one let through; -1: hold this one back. */
    public long pass() {
        long now = System.nanoTime();
        long last = lastPassed.get();
        if (now - last < intervalNanos || !lastPassed.compareAndSet(last, now)) {
            heldBack.incrementAndGet();
            return -1;
        }
        return heldBack.getAndSet(0);
    }
}
