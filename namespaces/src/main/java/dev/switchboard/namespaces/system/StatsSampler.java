package dev.switchboard.namespaces.system;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.namespaces.core.StreamSink;
import dev.switchboard.namespaces.core.Upstream;
import dev.switchboard.socketio.Socket;

/**
 * Samples the host every {@code interval} ms and emits {@code stats} (volatile) to the interval's subscribers.
 * Keeps the last samples and replays them to each new subscriber before it joins, under the lock the samples
 * are emitted under, so the subscriber sees no gap and no duplicate.
 */
final class StatsSampler implements Upstream {
    private static final Logger log = LoggerFactory.getLogger(StatsSampler.class);

    private final long interval;
    private final HostProbe probe;
    private final Supplier<Set<Metric>> demand;
    private final StreamSink sink;
    private final int historySize;
    private final ArrayDeque<Map<String, Object>> history;
    private final Object lock = new Object();
    private ScheduledFuture<?> task;
    private boolean closed;
    private long samples;

    StatsSampler(long interval, HostProbe probe, Supplier<Set<Metric>> demand, StreamSink sink, int historySize) {
        this.interval = interval;
        this.probe = probe;
        this.demand = demand;
        this.sink = sink;
        this.historySize = historySize;
        this.history = new ArrayDeque<>(Math.max(1, historySize));
    }

    StatsSampler start(ScheduledExecutorService executor) {
        executor.execute(this::prime);
        synchronized (lock) {
            if (!closed) {
                task = executor.scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.MILLISECONDS);
            }
        }
        return this;
    }

    private void prime() {
        try {
            probe.prime(demand.get());
        } catch (RuntimeException e) {
            log.warn("stats prime failed interval={}", interval, e);
        }
    }

    void tick() {
        Set<Metric> metrics = demand.get();
        if (metrics.isEmpty()) {
            return;
        }
        Map<String, Object> sample;
        try {
            sample = probe.sample(interval, metrics);
        } catch (RuntimeException e) {
            log.warn("stats sample failed interval={}", interval, e); // keep the schedule alive
            return;
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (historySize > 0) {
                if (history.size() == historySize) {
                    history.removeFirst();
                }
                history.addLast(sample);
            }
            samples++;
            sink.emitVolatile("stats", sample);
        }
    }

    @Override
    public void admit(Socket subscriber, Runnable join) {
        synchronized (lock) {
            for (Map<String, Object> sample : history) {
                subscriber.emit("stats", sample);
            }
            join.run();
        }
    }

    long samplesTaken() {
        synchronized (lock) {
            return samples;
        }
    }

    boolean isRunning() {
        synchronized (lock) {
            return !closed;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (task != null) {
                task.cancel(false);
            }
            history.clear();
        }
    }
}
