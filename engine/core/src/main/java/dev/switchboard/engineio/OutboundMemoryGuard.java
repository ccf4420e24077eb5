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
 * {@code percent} of its limit, a round runs on the guard's thread: first a collection ({@code System.gc()}, a
 * concurrent cycle with the shipped {@code -XX:+ExplicitGCInvokesConcurrent}; frames already sent or dropped are
 * garbage until one runs, and cutting for garbage would cut healthy clients), then, if still above, the connections
 * holding the most are closed as slow consumers, biggest first, until what they held covers the excess over three
 * quarters of the limit (less what connections already closing hold). Past halfway from {@code percent} to the
 * limit there is no time for a collection first: the round cuts, then collects. Without a concurrent
 * {@code System.gc()} the JVM's own next collection is waited for. When all candidates together hold under a quarter
 * of the excess, memory is mostly full of something else: they are cut all the same (one WARN a minute says so),
 * and the next round waits 5 s; otherwise rounds are 100 ms apart.
 *
 * <p>Nothing is counted on the send path: a broadcast's frame is shared by every connection it is queued on, so a
 * sum of what connections hold overstates memory and would cut healthy subscribers of a busy room; the JVM's own
 * counters say what is really used. A connection checks as it queues only once it holds more than {@link #FLOOR}
 * (16 KiB, the least a connection must hold to be cut); every collection checks too.
 */
final class OutboundMemoryGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboundMemoryGuard.class);
    /** Below this a connection is keeping up: it neither checks on send nor is cut. */
    static final long FLOOR = 16 << 10;
    /** Between rounds: closes run and memory comes back; also at most ten collections a second asked for. */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** After a round that found memory mostly full of something else: no collection and cut every 100 ms. */
    private static final long IDLE_QUIET_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final int percent;
    private final JvmMemory memory;
    private final JvmMemory.Thresholds thresholds;
    private final JvmMemory.Thresholds emergency;
    private final SessionRegistry sessions;
    private final Set<OutboundHolder> others = ConcurrentHashMap.newKeySet();
    private final AtomicInteger roundScheduled = new AtomicInteger();
    private final AtomicLong cut = new AtomicLong();
    private final Runnable afterCollection = this::check;
    private final ThreadPoolExecutor worker;
    private volatile long quietUntil = System.nanoTime();
    private long lastRoundCollections = -1; // worker thread only
    private long lastNotOutboundLog = System.nanoTime() - TimeUnit.MINUTES.toNanos(1); // worker thread only

    /** {@code percent} 0: never cut. */
    OutboundMemoryGuard(int percent, JvmMemory memory, SessionRegistry sessions) {
        this.percent = percent;
        this.memory = memory;
        this.thresholds = memory.thresholds(percent);
        this.emergency = memory.thresholds(percent + (100 - percent) / 2);
        this.sessions = sessions;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("engineio-memory-guard", true));
        if (percent > 0) {
            worker.prestartCoreThread(); // not created for the first time when memory is short
            memory.onCollection(afterCollection);
        }
    }

    /** A connection that is not an Engine.IO session (those are found in the registry), until {@link #forget}. */
    void watch(OutboundHolder holder) {
        others.add(holder);
    }

    void forget(OutboundHolder holder) {
        others.remove(holder);
    }

    /** Called by a connection holding more than {@link #FLOOR} as it queues more, and after collections; cheap. */
    void check() {
        if (percent == 0 || roundScheduled.get() != 0 || System.nanoTime() - quietUntil < 0
                || !memory.above(thresholds)) {
            return;
        }
        if (roundScheduled.compareAndSet(0, 1)) {
            try {
                worker.execute(this::round);
            } catch (RuntimeException | Error e) {
                roundScheduled.set(0); // closed, or no memory to queue the task: the next check tries again
            }
        }
    }

    /** Connections cut so far. */
    long cut() {
        return cut.get();
    }

    private void round() {
        long quiet = QUIET_NANOS;
        try {
            boolean urgent = memory.above(emergency);
            if (!urgent && !stillAboveAfterACollection()) return;
            long excess = 0;
            for (JvmMemory.Use use : memory.uses()) excess = Math.max(excess, use.over(percent * 3 / 4));
            Candidates c = new Candidates();
            for (EngineSession session : sessions.all()) c.add(session);
            for (OutboundHolder holder : others) c.add(holder);
            excess -= c.leaving; // connections already closing give theirs back without another cut
            if (excess <= 0) return;
            String readings = String.join(" ", memory.uses().stream().map(JvmMemory.Use::toString).toList());
            if (c.total < excess / 4) {
                // what fills memory is mostly not what clients hold unread (Netty's read buffers, live data): they
                // are cut all the same (an attacker's connections also stop reading), but not again for 5 s
                notOutbound(excess, c, readings);
                quiet = IDLE_QUIET_NANOS;
            }
            c.held.sort(Comparator.comparingLong(Held::bytes).reversed());
            long freed = 0;
            int n = 0;
            for (Held h : c.held) {
                if (freed >= excess) break;
                h.holder.shedForMemory();
                freed += h.bytes;
                n++;
            }
            cut.addAndGet(n);
            log.warn("event=memory_shed cut={} heldByCut={} candidates={} excess={} percent={} urgent={} {}", n, freed,
                    c.held.size(), excess, percent, urgent, readings);
            if (urgent && memory.collectsConcurrently()) System.gc(); // what was cut goes now
        } catch (RuntimeException e) {
            log.warn("memory guard round failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        } finally {
            lastRoundCollections = memory.collections();
            quietUntil = System.nanoTime() + quiet;
            roundScheduled.set(0);
        }
    }

    /**
     * What was sent, dropped or cut before is garbage until a collection, direct buffers until their cleaners ran
     * after it (on the JDK's cleaner thread): up to 100 ms for those. Without a concurrent {@code System.gc()} (a
     * full collection would stop every connection), the JVM's own next collection is waited for instead.
     */
    private boolean stillAboveAfterACollection() throws InterruptedException {
        if (!memory.collectsConcurrently()) {
            return memory.collections() != lastRoundCollections && memory.above(thresholds);
        }
        System.gc();
        for (int i = 0; i < 10 && memory.above(thresholds); i++) {
            Thread.sleep(10);
        }
        return memory.above(thresholds);
    }

    private void notOutbound(long excess, Candidates c, String readings) {
        long now = System.nanoTime();
        if (now - lastNotOutboundLog < TimeUnit.MINUTES.toNanos(1)) return;
        lastNotOutboundLog = now;
        log.warn("event=memory_pressure cause=not_outbound heldByCandidates={} excess={} percent={} {}", c.total, excess,
                percent, readings);
    }

    /** Connections holding at least {@link #FLOOR} unread bytes, and what those already closing still hold. */
    private static final class Candidates {
        final List<Held> held = new ArrayList<>();
        long total;
        long leaving;

        void add(OutboundHolder holder) {
            long bytes = holder.bufferedBytes();
            if (holder.closing()) {
                leaving += bytes; // cut in an earlier round, or leaving anyway
            } else if (bytes >= FLOOR) {
                held.add(new Held(holder, bytes));
                total += bytes;
            }
        }
    }

    private record Held(OutboundHolder holder, long bytes) {
    }

    @Override
    public void close() {
        memory.removeOnCollection(afterCollection);
        worker.shutdownNow();
    }
}
