package dev.switchboard.app;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the steps of a shutdown within one budget (SHUTDOWN_GRACE_MS). A step that is still running when its time
 * is up (a database or Redis that does not answer, a producer stuck in a call) is left behind on its daemon thread
 * and the next step starts: the shutdown finishes on time, with a warning naming the step, instead of the watchdog
 * halting the JVM with exit 1. Once the budget is spent, the remaining steps share {@link #LATE_TOTAL}, at most
 * {@link #LATE_STEP} each, which stays inside Main's watchdog slack.
 */
final class ShutdownSteps {
    private static final Logger log = LoggerFactory.getLogger(ShutdownSteps.class);
    static final Duration LATE_STEP = Duration.ofMillis(150);
    static final Duration LATE_TOTAL = Duration.ofMillis(1000);

    private final long deadlineNanos;
    private final long lateDeadlineNanos;
    private int abandoned;

    ShutdownSteps(Duration budget) {
        this.deadlineNanos = System.nanoTime() + budget.toNanos();
        this.lateDeadlineNanos = deadlineNanos + LATE_TOTAL.toNanos();
    }

    /** Runs {@code step}, waiting at most what is left of the budget. */
    void run(String what, Runnable step) {
        run(what, null, step);
    }

    /**
     * Runs {@code step}, waiting at most {@code cap} (null: no cap) of what is left of the budget: a step that
     * may hang on something outside (the PostgreSQL bridge) must not take the time the sockets' drain needs.
     */
    void run(String what, Duration cap, Runnable step) {
        Thread worker = new Thread(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                log.warn("shutdown step failed step={} error={}", what, e.toString(), e);
            }
        }, "sb-shutdown-step");
        worker.setDaemon(true);
        long start = System.nanoTime();
        worker.start();
        long until = until(start, cap);
        boolean interrupted = false;
        for (long left = until - System.nanoTime(); worker.isAlive() && left > 0; left = until - System.nanoTime()) {
            try {
                worker.join(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true; // the shutdown goes on all the same; the flag is given back below
            }
        }
        if (worker.isAlive()) {
            abandoned++;
            log.warn("shutdown step timed out step={} waitedMs={}; going on without it", what,
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private long until(long start, Duration cap) {
        long until = deadlineNanos - start > 0 ? deadlineNanos
                : Math.min(start + LATE_STEP.toNanos(), lateDeadlineNanos);
        return cap == null ? until : Math.min(until, start + cap.toNanos());
    }

    /** How many steps were still running when their time was up. */
    int abandoned() {
        return abandoned;
    }
}
