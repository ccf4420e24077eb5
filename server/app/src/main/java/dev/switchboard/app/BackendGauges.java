package dev.switchboard.app;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.emitapi.SwitchboardMetrics;
import dev.switchboard.namespaces.core.BackendProbe;

/**
 * {@code switchboard_backend_up{backend}} for the backends this node uses. Redis and PostgreSQL are read from the
 * state their clients keep anyway; dockerd and the PM2 daemon, which nothing watches while no one subscribes, get
 * one cheap request every {@link #PROBE_EVERY} on a thread of their own (a probe may block up to its backend's
 * request timeout; a scrape never waits for one). The first answer and each change are logged once.
 */
final class BackendGauges implements AutoCloseable {
    static final Duration PROBE_EVERY = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(BackendGauges.class);

    private final SwitchboardMetrics metrics;
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sb-backend-probe");
        thread.setDaemon(true);
        return thread;
    });

    BackendGauges(SwitchboardMetrics metrics) {
        this.metrics = metrics;
    }

    /** A backend whose client knows its state: read at scrape time. */
    void watch(String backend, BooleanSupplier up) {
        metrics.backendUp(backend, up);
    }

    /** A backend asked now, then every {@link #PROBE_EVERY}; reads 0 until its first answer. */
    void probe(BackendProbe probe) {
        AtomicReference<Boolean> up = new AtomicReference<>(); // null until the first answer: logged too
        metrics.backendUp(probe.backend(), () -> Boolean.TRUE.equals(up.get()));
        prober.scheduleWithFixedDelay(() -> {
            Boolean now = answers(probe);
            if (!now.equals(up.getAndSet(now))) {
                log.info("event=backend_{} backend={}", now ? "up" : "down", probe.backend());
            } else if (!now) {
                log.debug("event=backend_still_down backend={}", probe.backend());
            }
        }, 0, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static boolean answers(BackendProbe probe) {
        try {
            return probe.answers();
        } catch (RuntimeException e) { // a probe that throws must not end its schedule
            log.debug("event=backend_probe_failed backend={}", probe.backend(), e);
            return false;
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
