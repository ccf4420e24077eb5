package dev.switchboard.redis;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

import dev.switchboard.engineio.HeldBackLog;

/** Counts dropped inputs and logs them at most once a second, so a flood of bad messages cannot flood the log. */
final class RejectLog {
    private final Logger log;
    private final String event;
    private final String scope;
    private final AtomicLong count = new AtomicLong();
    private final HeldBackLog throttle = new HeldBackLog();

    RejectLog(Logger log, String event, String scope) {
        this.log = log;
        this.event = event;
        this.scope = scope;
    }

    void reject(String channel, String reason) {
        count.incrementAndGet();
        long heldBack = throttle.pass();
        if (heldBack >= 0) {
            // dropped: this one and those held back since the last line
            log.warn("event={} scope={} channel={} reason=\"{}\" dropped={}", event, scope, channel, reason, heldBack + 1);
        }
    }

    long count() {
        return count.get();
    }
}
