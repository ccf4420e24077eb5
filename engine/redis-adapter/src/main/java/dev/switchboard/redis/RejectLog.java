package dev.switchboard.redis;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/** Counts dropped inputs and logs them at most once a second, so a flood of bad messages cannot flood the log. */
final class RejectLog {
    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final Logger log;
    private final String event;
    private final String scope;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
    private final AtomicLong sinceLogged = new AtomicLong();

    RejectLog(Logger log, String event, String scope) {
        this.log = log;
        this.event = event;
        this.scope = scope;
    }

    void reject(String channel, String reason) {
        count.incrementAndGet();
        long suppressed = sinceLogged.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
            sinceLogged.set(0);
            log.warn("event={} scope={} channel={} reason=\"{}\" dropped={}", event, scope, channel, reason, suppressed);
        }
    }

    long count() {
        return count.get();
    }
}
