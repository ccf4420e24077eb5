package dev.switchboard.app;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the steps of a shutdown within one budget (SHUTDOWN_GRACE_MS). A step that is still running when the
 * budget is spent (a database or Redis that does not answer, a producer stuck in a call) is left behind on its
 * daemon thread and the next step starts: the shutdown finishes on time, with a warning naming the step, instead
 * of the watchdog halting the JVM with exit 1. Steps that start after the budget still get {@link #LATE_STEP}.
 */
final class ShutdownSteps {
    private static final Logger log = LoggerFactory.getLogger(ShutdownSteps.class);
    /** What each step gets once the budget is spent; Main's watchdog slack covers a few of them. */
    static final Duration LATE_STEP = Duration.ofMillis(150);

    private final long deadlineNanos;
    private int abandoned;

    ShutdownSteps(Duration budget) {
        this.deadlineNanos = System.nanoTime() + budget.toNanos();
    }

    /** Runs {@code step}, waiting at most what is left of the budget (at least {@link #LATE_STEP}). */
    void run(String what, Runnable step) {
        Thread worker = new Thread(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                log.warn("shutdown step failed step={} error={}", what, e.toString(), e);
            }
        }, "sb-shutdown-step");
        worker.setDaemon(true);
        worker.start();
        long waitNanos = Math.max(deadlineNanos - System.nanoTime(), LATE_STEP.toNanos());
        try {
            worker.join(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            abandoned++;
            log.warn("shutdown step timed out step={} waitedMs={}; going on without it", what,
                    Duration.ofNanos(waitNanos).toMillis());
        }
    }

    /** How many steps were still running when their time was up. */
    int abandoned() {
        return abandoned;
    }
}
