package dev.switchboard.emitapi;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.switchboard.socketio.SocketIoMetricsTracker;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The engine's timings as Prometheus histograms with a few fixed buckets each (so /metrics stays small):
 * {@code switchboard_broadcast_latency_seconds} (emit to the last frame handed to a transport, per broadcast),
 * {@code switchboard_broadcast_size_bytes} (encoded once, per broadcast) and
 * {@code switchboard_handshake_duration_seconds} (namespace CONNECT to its answer, auth included). Shared by
 * every namespace (no namespace tag): the app's per-namespace trackers hand their timings to it.
 */
final class DeliveryMeters implements SocketIoMetricsTracker {
    private final Timer latency;
    private final DistributionSummary size;
    private final Timer handshake;

    DeliveryMeters(MeterRegistry registry) {
        latency = Timer.builder("switchboard.broadcast.latency")
                .description("From an emit to its frame handed to the last local recipient's transport")
                .serviceLevelObjectives(millis(0.1), millis(0.5), millis(1), millis(5), millis(10), millis(50),
                        millis(100), millis(500), millis(1000))
                .register(registry);
        size = DistributionSummary.builder("switchboard.broadcast.size").baseUnit("bytes")
                .description("Encoded size of one broadcast (encoded once, whatever the number of recipients)")
                .serviceLevelObjectives(128, 512, 1024, 4096, 16384, 65536, 262144, 1048576)
                .register(registry);
        handshake = Timer.builder("switchboard.handshake.duration")
                .description("From a namespace CONNECT packet to its CONNECT answer (middleware and auth included)")
                .serviceLevelObjectives(millis(1), millis(5), millis(10), millis(50), millis(100), millis(250),
                        millis(500), millis(1000), millis(5000))
                .register(registry);
    }

    private static Duration millis(double ms) {
        return Duration.ofNanos((long) (ms * 1_000_000));
    }

    @Override
    public void broadcastDelivered(long nanos, long bytes) {
        latency.record(nanos, TimeUnit.NANOSECONDS);
        size.record(bytes);
    }

    @Override
    public void connectAnswered(long nanos) {
        handshake.record(nanos, TimeUnit.NANOSECONDS);
    }
}
