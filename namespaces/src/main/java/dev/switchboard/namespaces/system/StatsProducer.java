package dev.switchboard.namespaces.system;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

import oshi.SystemInfo;

import dev.switchboard.namespaces.core.Producer;
import dev.switchboard.namespaces.core.StreamSink;
import dev.switchboard.namespaces.core.Upstream;

/** Opens one {@link StatsSampler} per interval (the topic), sampling the union of what its subscribers asked for. */
final class StatsProducer implements Producer<Long> {
    private final SystemInfo systemInfo;
    private final StatsDemand demand;
    private final SystemSettings settings;
    private final ScheduledExecutorService executor;
    private final Map<Long, StatsSampler> running = new ConcurrentHashMap<>();

    StatsProducer(SystemInfo systemInfo, StatsDemand demand, SystemSettings settings, ScheduledExecutorService executor) {
        this.systemInfo = systemInfo;
        this.demand = demand;
        this.settings = settings;
        this.executor = executor;
    }

    @Override
    public Upstream open(Long interval, StreamSink sink) {
        HostProbe probe = new HostProbe(systemInfo, settings.topProcesses());
        StatsSampler sampler = new StatsSampler(interval, probe, () -> demand.union(interval), sink, settings.history());
        running.put(interval, sampler);
        sampler.start(executor);
        return new Upstream() {
            @Override
            public void admit(dev.switchboard.socketio.Socket subscriber, Runnable join) {
                sampler.admit(subscriber, join);
            }

            @Override
            public void close() {
                running.remove(interval, sampler);
                sampler.close();
            }
        };
    }

    /** The sampler running at this interval, or null (for tests and diagnostics). */
    StatsSampler sampler(long interval) {
        return running.get(interval);
    }

    int running() {
        return running.size();
    }
}
