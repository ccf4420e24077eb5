package dev.switchboard.namespaces.system;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Which metrics each socket asked for at each interval; a sampler samples the union of its interval. */
final class StatsDemand {
    private final Map<Long, Map<String, Set<Metric>>> byInterval = new ConcurrentHashMap<>();

    void put(long interval, String socketId, Set<Metric> metrics) {
        byInterval.computeIfAbsent(interval, k -> new ConcurrentHashMap<>()).put(socketId, EnumSet.copyOf(metrics));
    }

    void remove(long interval, String socketId) {
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
