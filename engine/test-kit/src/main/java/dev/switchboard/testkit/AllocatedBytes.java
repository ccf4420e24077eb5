package dev.switchboard.testkit;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * Bytes the calling thread allocates per call of a piece of code, once the JIT has compiled it (a warm-up of
 * {@link #WARM_UP} calls first). The smallest of the rounds is taken: a round can only be inflated (a GC, or code
 * not yet compiled by C2, which alone removes allocations by escape analysis), never deflated, so the minimum is
 * the steady state. Rounds go on for at least {@link #MEASURE_FOR}: on a busy machine C2's queue may compile the
 * code only seconds after the warm-up asked for it.
 */
public final class AllocatedBytes {
    public static final int WARM_UP = 100_000;
    private static final int MIN_ROUNDS = 3;
    private static final int MAX_ROUNDS = 500;
    private static final java.time.Duration MEASURE_FOR = java.time.Duration.ofSeconds(2);
    private static final int CALLS = 20_000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocatedBytes() {
    }

    /** The steady-state bytes per call; the result of each call is kept alive until the next one, not dropped. */
    public static long perCall(Supplier<?> code) {
        Object kept = null;
        for (int i = 0; i < WARM_UP; i++) {
            kept = code.get();
        }
        long least = Long.MAX_VALUE;
        long until = System.nanoTime() + MEASURE_FOR.toNanos();
        for (int round = 0; round < MAX_ROUNDS && (round < MIN_ROUNDS || System.nanoTime() < until); round++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < CALLS; i++) {
                kept = code.get();
            }
            least = Math.min(least, (THREADS.getCurrentThreadAllocatedBytes() - before) / CALLS);
        }
        if (kept == null) {
            throw new IllegalArgumentException("the measured code must return what it made (so it is not optimised away)");
        }
        return least;
    }

    /**
     * Bytes the calling thread allocates for one call of code too heavy for {@link #perCall} (decoding a whole large
     * message): the least of {@code rounds} calls after {@code warmUp} unmeasured ones, each call's result kept
     * alive until the next.
     */
    public static long leastOfHeavyCalls(int warmUp, int rounds, java.util.concurrent.Callable<?> code) throws Exception {
        Object kept = null;
        for (int i = 0; i < warmUp; i++) {
            kept = code.call();
        }
        long least = Long.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            kept = code.call();
            least = Math.min(least, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        if (kept == null) {
            throw new IllegalArgumentException("the measured code must return what it made (so it is not optimised away)");
        }
        return least;
    }
}
