package dev.switchboard.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline; fails with a message saying what did not happen. */
public final class Await {
    private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();

    private Await() {
    }

    /** Returns as soon as {@code condition} holds; throws {@link AssertionError} once {@code timeout} passed. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what);
            }
        }
    }

    /** Returns the first non-null value {@code supplier} gives before the deadline. */
    public static <T> T value(Supplier<T> supplier, Duration timeout, String what) {
        Object[] holder = new Object[1];
        until(() -> (holder[0] = supplier.get()) != null, timeout, what);
        @SuppressWarnings("unchecked")
        T value = (T) holder[0];
        return value;
    }
}
