package dev.switchboard.channels;

import java.util.concurrent.atomic.AtomicLongArray;

/** Events counted in one-second buckets over the last minute; lock-free, approximate at bucket edges. */
final class EventRate {
    private static final int SECONDS = 60;
    private final AtomicLongArray counts = new AtomicLongArray(SECONDS);
    private final AtomicLongArray stamps = new AtomicLongArray(SECONDS);

    void record(long nowMillis) {
        long second = nowMillis / 1000;
        int slot = (int) (second % SECONDS);
        long stamp = stamps.get(slot);
        if (stamp != second && stamps.compareAndSet(slot, stamp, second)) {
            counts.set(slot, 0);
        }
        counts.incrementAndGet(slot);
    }

    /** Events in the last 60 seconds. */
    long perMinute(long nowMillis) {
        long second = nowMillis / 1000;
        long total = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (second - stamps.get(i) < SECONDS) total += counts.get(i);
        }
        return total;
    }
}
