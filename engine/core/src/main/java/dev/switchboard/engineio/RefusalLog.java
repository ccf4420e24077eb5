package dev.switchboard.engineio;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Counts admission refusals by reason, tells the options' listener (metrics), and logs them at WARN, at most one line per reason every 10 s with the count since
 * the last line: a flood must not become a flood of log lines.
 */
final class RefusalLog {
    private static final long INTERVAL_NANOS = 10_000_000_000L;

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
        long now = System.nanoTime();
        long last = r.loggedAt.get();
        if ((last == 0 || now - last >= INTERVAL_NANOS) && r.loggedAt.compareAndSet(last, now == 0 ? 1 : now)) {
            long since = r.total.get() - r.totalAtLastLog.getAndSet(r.total.get());
            log.warn("event=engine_refused reason={} address={} refusedSinceLastLine={}", reason, address, since);
        }
    }

    /** Refusals with this reason since start. */
    long total(String reason) {
        Reason r = reasons.get(reason);
        return r == null ? 0 : r.total.get();
    }

    private static final class Reason {
        final AtomicLong total = new AtomicLong();
        final AtomicLong totalAtLastLog = new AtomicLong();
        final AtomicLong loggedAt = new AtomicLong();
    }
}
