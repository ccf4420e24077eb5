package dev.switchboard.namespaces.system;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which metrics each socket asked for at each interval; a sampler samples the union of its interval. Each distinct
 * interval is a sampler of its own on the one sampling thread (a sample with the process list costs ~70-100 ms):
 * the intervals other than the default together sample at most as often as two samplers at the shortest interval
 * allowed, so that no client can ask for enough distinct intervals to starve that thread and burn the host's CPU.
 * An interval already sampled is always shared, and the default interval is always open.
 */
final class StatsDemand {
    private final Map<Long, Map<String, Set<Metric>>> byInterval = new ConcurrentHashMap<>();
    private final long defaultIntervalMs;
    private final double maxSamplesPerSecond;

    StatsDemand(long defaultIntervalMs, long minIntervalMs) {
        this.defaultIntervalMs = defaultIntervalMs;
        this.maxSamplesPerSecond = 2 * 1000.0 / minIntervalMs;
    }

    /** Registers the socket at the interval; false (nothing registered) when a new interval would pass the budget. */
    synchronized boolean put(long interval, String socketId, Set<Metric> metrics) {
        if (!byInterval.containsKey(interval) && interval != defaultIntervalMs
                && samplesPerSecond() + 1000.0 / interval > maxSamplesPerSecond + 1e-9) {
            return false;
        }
        byInterval.computeIfAbsent(interval, k -> new ConcurrentHashMap<>()).put(socketId, EnumSet.copyOf(metrics));
        return true;
    }

    /** The intervals sampled now, shortest first (what a refused client may share). */
    List<Long> intervals() {
        List<Long> intervals = new ArrayList<>(byInterval.keySet());
        intervals.sort(null);
        return intervals;
    }

    private double samplesPerSecond() {
        double rate = 0;
        for (long interval : byInterval.keySet()) {
            if (interval != defaultIntervalMs) {
                rate += 1000.0 / interval;
            }
        }
        return rate;
    }

    synchronized void remove(long interval, String socketId) {
        byInterval.computeIfPresent(interval, (k, sockets) -> {
            sockets.remove(socketId);
            return sockets.isEmpty() ? null : sockets;
        });
    }

    /** Union of the metrics asked for at this interval (empty when nobody asks). */
    Set<Metric> union(long interval) {
        Set<Metric> union = EnumSet.noneOf(Metric.class);
        Map<String, Set<Metric>> sockets = byInterval.get(interval);
        if (sockets != null) {
            for (Set<Metric> metrics : sockets.values()) {
                union.addAll(metrics);
            }
        }
        return union;
    }

    /** Intervals this socket is registered at. */
    List<Long> intervalsOf(String socketId) {
        List<Long> intervals = new ArrayList<>();
        byInterval.forEach((interval, sockets) -> {
            if (sockets.containsKey(socketId)) {
                intervals.add(interval);
            }
        });
        return intervals;
    }
}
