package dev.switchboard.engineio;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Counts admission refusals by reason, tells the options' listener (metrics), and logs them at WARN, at most one line per reason every 10 s with the count since
 * the last line: a flood must not become a flood of log lines.
 */
final class RefusalLog {
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Logger log;
    private final Consumer<String> listener;
    private final ConcurrentHashMap<String, Reason> reasons = new ConcurrentHashMap<>();

    RefusalLog(Logger log, Consumer<String> listener) {
        this.log = log;
        this.listener = listener;
    }

    void refused(String reason, Object address) {
        try {
            listener.accept(reason);
        } catch (RuntimeException e) {
            log.debug("refusal listener failed reason={}", reason, e);
        }
        Reason r = reasons.computeIfAbsent(reason, k -> new Reason());
        r.total.incrementAndGet();
        long heldBack = r.lines.pass();
        if (heldBack >= 0) {
            log.warn("event=engine_refused reason={} address={} refusedSinceLastLine={}", reason, address, heldBack + 1);
        }
    }

    /** Refusals with this reason since start. */
    long total(String reason) {
        Reason r = reasons.get(reason);
        return r == null ? 0 : r.total.get();
    }

    private static final class Reason {
        final AtomicLong total = new AtomicLong();
        final HeldBackLog lines = new HeldBackLog(INTERVAL);
    }
}
