package dev.switchboard.engineio;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what all connections hold for clients that do not read from taking the JVM's memory. Each connection is
 * held to outboundHardLimit alone; summed over many connections, messages unique to each (replies, acks) could
 * still fill the heap or direct memory. When direct memory, or the heap after a collection, passes
 * {@code percent} of its limit, the connections holding the most (at least {@link #FLOOR} each) are closed as slow
 * consumers, biggest first, until what they held covers the excess over three quarters of the limit.
 *
 * <p>Nothing is counted on the send path: a broadcast's frame is shared by every connection it is queued on, so a
 * sum of what connections hold overstates memory and would cut healthy subscribers of a busy room; the JVM's own
 * counters say what is really used. A connection checks only once it holds more than {@link #FLOOR}. What a round
 * cut is freed by the next collection, so at most one round runs per collection (and 100 ms).
 */
final class OutboundMemoryGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboundMemoryGuard.class);
    /** Below this a connection is keeping up: it is neither checked on send nor cut. */
    static final long FLOOR = 16 << 10;
    private static final long ROUND_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final int percent;
    private final JvmMemory memory;
    private final JvmMemory.Thresholds thresholds;
    private final SessionRegistry sessions;
    private final Set<OutboundHolder> others = ConcurrentHashMap.newKeySet();
    private final AtomicInteger roundScheduled = new AtomicInteger();
    private final AtomicLong cut = new AtomicLong();
    private final Runnable afterCollection = this::check;
    private final ThreadPoolExecutor worker;
    private long lastRoundCollections = -1; // worker thread only
    private long lastRoundNanos = System.nanoTime() - ROUND_GAP_NANOS; // worker thread only

    /** {@code percent} 0: never cut. */
    OutboundMemoryGuard(int percent, JvmMemory memory, SessionRegistry sessions) {
        this.percent = percent;
        this.memory = memory;
        this.thresholds = memory.thresholds(percent);
        this.sessions = sessions;
        this.worker = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("engineio-memory-guard", true));
        if (percent > 0) memory.onCollection(afterCollection);
    }

    /** A connection that is not an Engine.IO session (those are found in the registry), until {@link #forget}. */
    void watch(OutboundHolder holder) {
        others.add(holder);
    }

    void forget(OutboundHolder holder) {
        others.remove(holder);
    }

    /** Called by a connection holding more than {@link #FLOOR} as it queues more (any thread); cheap. */
    void check() {
        if (percent == 0 || roundScheduled.get() != 0 || !memory.above(thresholds)) return;
        if (roundScheduled.compareAndSet(0, 1)) {
            try {
                worker.execute(this::round);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                roundScheduled.set(0); // closed
            }
        }
    }

    /** Connections cut so far. */
    long cut() {
        return cut.get();
    }

    private void round() {
        try {
            long collections = memory.collections();
            // what the last round cut is freed by a collection, direct memory only once the cleaners ran after it
            if (collections == lastRoundCollections || System.nanoTime() - lastRoundNanos < ROUND_GAP_NANOS
                    || !memory.above(thresholds)) {
                return;
            }
            lastRoundCollections = collections;
            lastRoundNanos = System.nanoTime();
            long excess = 0;
            for (JvmMemory.Use use : memory.uses()) excess = Math.max(excess, use.over(percent * 3 / 4));
            List<Held> held = new ArrayList<>();
            for (EngineSession session : sessions.all()) add(held, session);
            for (OutboundHolder holder : others) add(held, holder);
            held.sort(Comparator.comparingLong(Held::bytes).reversed());
            long freed = 0;
            int n = 0;
            for (Held h : held) {
                if (freed >= excess) break;
                h.holder.shedForMemory();
                freed += h.bytes;
                n++;
            }
            cut.addAndGet(n);
            log.warn("event=memory_shed cut={} heldByCut={} candidates={} excess={} percent={} {}", n, freed, held.size(),
                    excess, percent, String.join(" ", memory.uses().stream().map(JvmMemory.Use::toString).toList()));
        } catch (RuntimeException e) {
            log.warn("memory guard round failed", e);
        } finally {
            roundScheduled.set(0);
        }
    }

    private static void add(List<Held> held, OutboundHolder holder) {
        long bytes = holder.bufferedBytes();
        if (bytes >= FLOOR) held.add(new Held(holder, bytes));
    }

    private record Held(OutboundHolder holder, long bytes) {
    }

    @Override
    public void close() {
        memory.removeOnCollection(afterCollection);
        worker.shutdownNow();
    }
}
