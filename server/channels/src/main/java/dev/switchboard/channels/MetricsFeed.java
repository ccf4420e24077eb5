package dev.switchboard.channels;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code metrics} channel: a KPI snapshot (connections, channels, events per minute) pushed every interval,
 * scheduled only while the channel has subscribers; a new subscriber gets one at once.
 */
final class MetricsFeed {
    private static final Logger log = LoggerFactory.getLogger(MetricsFeed.class);
    static final String EVENT = "snapshot";

    private final ChannelHub hub;
    private final ChannelFrames frames;
    private final ScheduledExecutorService scheduler;
    private final long intervalMillis;
    private volatile Supplier<Map<String, Object>> snapshot = Map::of;
    private ScheduledFuture<?> task;

    MetricsFeed(ChannelHub hub, ChannelFrames frames, ScheduledExecutorService scheduler, long intervalMillis) {
        this.hub = hub;
        this.frames = frames;
        this.scheduler = scheduler;
        this.intervalMillis = intervalMillis;
        hub.onMetricsSubscribers(this::subscribersChanged);
    }

    void snapshotSource(Supplier<Map<String, Object>> source) {
        this.snapshot = source;
    }

    private synchronized void subscribersChanged() {
        boolean wanted = hub.subscribers(ChannelCatalog.METRICS) > 0;
        if (wanted && task == null) {
            task = scheduler.scheduleAtFixedRate(this::push, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
            log.debug("metrics channel feed started intervalMs={}", intervalMillis);
        } else if (!wanted && task != null) {
            task.cancel(false);
            task = null;
            log.debug("metrics channel feed stopped");
        }
    }

    void sendSnapshot(PlainClient client) {
        client.send(frames.event(ChannelCatalog.METRICS, EVENT, snapshot.get(), System.currentTimeMillis()));
    }

    private void push() {
        try {
            hub.deliverLocal(ChannelCatalog.METRICS, EVENT, snapshot.get());
        } catch (RuntimeException e) {
            log.warn("metrics snapshot failed error={}", e.toString(), e);
        }
    }

    synchronized void close() {
        if (task != null) task.cancel(false);
        task = null;
    }

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }
}
