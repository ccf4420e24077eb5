package dev.switchboard.engineio;

import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one session's inbound events (requests, frames, closed connections), read by whichever I/O loop owns their
 * connection, to the session's loop in the order they were handed over. A task queued from another loop must not
 * be overtaken by an event the session's own loop reads later and would run at once: both go through one queue,
 * and running inline first runs what other loops handed over before.
 */
final class ArrivalOrder {
    private static final Logger log = LoggerFactory.getLogger(ArrivalOrder.class);
    /** Tasks run per turn: a session flooded with events still lets the loop serve its other connections. */
    static final int MAX_TASKS_PER_DRAIN = 256;
    private static final AtomicIntegerFieldUpdater<ArrivalOrder> DRAIN_SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(ArrivalOrder.class, "drainScheduled");
    private static final AtomicIntegerFieldUpdater<ArrivalOrder> QUEUED_PACKETS =
            AtomicIntegerFieldUpdater.newUpdater(ArrivalOrder.class, "queuedPackets");
    private static final AtomicLongFieldUpdater<ArrivalOrder> QUEUED_BYTES =
            AtomicLongFieldUpdater.newUpdater(ArrivalOrder.class, "queuedBytes");

    private final EventLoop loop;
    private final String session; // the log name of the session, never its sid (a bearer secret)
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final Runnable drainTask = this::drain;
    private final int maxQueuedPackets;
    private final long maxQueuedBytes;
    private volatile int drainScheduled;
    private volatile int queuedPackets;
    private volatile long queuedBytes;
    private boolean draining; // loop only

    ArrivalOrder(EventLoop loop, String session) {
        this(loop, session, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /** {@code maxQueuedPackets}, {@code maxQueuedBytes}: bounds on packets queued by {@link #submitPacket}. */
    ArrivalOrder(EventLoop loop, String session, int maxQueuedPackets, long maxQueuedBytes) {
        this.loop = loop;
        this.session = session;
        this.maxQueuedPackets = maxQueuedPackets;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /**
     * Like {@link #submit} for a client's packet of {@code bytes}: false, and nothing queued, when it would have to
     * wait behind {@code maxQueuedPackets} packets or past {@code maxQueuedBytes} (a lone packet always fits). A
     * client sending faster than the session's loop handles its packets is bounded by this, not by its bandwidth.
     */
    boolean submitPacket(Runnable task, int bytes) {
        int packets = QUEUED_PACKETS.incrementAndGet(this);
        long held = QUEUED_BYTES.addAndGet(this, bytes);
        if (packets > 1 && (packets > maxQueuedPackets || held > maxQueuedBytes)) {
            released(bytes);
            return false;
        }
        submit(() -> {
            released(bytes);
            task.run();
        });
        return true;
    }

    private void released(int bytes) {
        QUEUED_PACKETS.decrementAndGet(this);
        QUEUED_BYTES.addAndGet(this, -bytes);
    }

    /** Packets taken by {@link #submitPacket} and not yet run. */
    int queuedPackets() {
        return queuedPackets;
    }

    /** Their bytes. */
    long queuedBytes() {
        return queuedBytes;
    }

    /** Runs the task on the loop after every task handed over before it; now when called on the loop. */
    void submit(Runnable task) {
        if (!loop.inEventLoop()) {
            queue.add(task);
            scheduleDrain();
        } else if (!draining && queue.isEmpty()) {
            runFirst(task); // the common case (a session's own connection): no queueing
        } else {
            queue.add(task);
            drain();
        }
    }

    private void runFirst(Runnable task) {
        draining = true;
        try {
            run(task);
        } finally {
            draining = false;
        }
        if (!queue.isEmpty()) drain(); // handed over meanwhile, by the task itself or by another loop
    }

    private void scheduleDrain() {
        if (DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
            try {
                loop.execute(drainTask);
            } catch (RejectedExecutionException e) {
                drainScheduled = 0;
                log.debug("engine.io task rejected, loop shut down session={}", session);
            }
        }
    }

    private void drain() {
        if (draining) return; // handed over by a running task: runs right after it, in this same drain
        draining = true;
        drainScheduled = 0; // from here on a hand-over from another loop is either drained below or schedules anew
        try {
            Runnable task;
            int ran = 0;
            while (ran++ < MAX_TASKS_PER_DRAIN && (task = queue.poll()) != null) run(task);
        } finally {
            draining = false;
        }
        if (!queue.isEmpty()) scheduleDrain(); // the rest keeps its place: whatever arrives next queues behind it
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("engine.io inbound task failed session={}", session, e);
        }
    }
}
