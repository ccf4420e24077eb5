package dev.switchboard.app;

import java.util.Set;

import dev.switchboard.emitapi.NamespaceMetrics;
import dev.switchboard.emitapi.SwitchboardMetrics;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoMetricsTracker;

/**
 * The engine's metrics tracker for one declared namespace, on Micrometer: {@code switchboard_events_in_total},
 * {@code switchboard_events_out_total} (broadcasts relayed from other nodes included) and
 * {@code switchboard_refusals_total{reason}} for refused events, and the server-wide timings of
 * {@link SwitchboardMetrics#deliveryTracker()}. Namespaces the app does not declare get only those timings.
 */
final class NamespaceMeters implements SocketIoMetricsTracker {
    private final NamespaceMetrics counters;
    private final SwitchboardMetrics metrics;
    private final SocketIoMetricsTracker timings;
    private final Runnable connected;

    private NamespaceMeters(NamespaceMetrics counters, SwitchboardMetrics metrics, Runnable connected) {
        this.counters = counters;
        this.metrics = metrics;
        this.timings = metrics.deliveryTracker();
        this.connected = connected;
    }

    /** {@code connected} runs on the engine's thread for every socket admitted to a declared namespace. */
    static SocketIoMetricsTracker.Factory factory(Set<String> declared, SwitchboardMetrics metrics, Runnable connected) {
        Set<String> names = Set.copyOf(declared);
        return namespace -> names.contains(namespace.name())
                ? new NamespaceMeters(metrics.namespace(namespace), metrics, connected) : metrics.deliveryTracker();
    }

    @Override
    public void socketConnected(Socket socket) {
        connected.run();
    }

    @Override
    public void eventReceived(Event event) {
        counters.eventIn();
    }

    @Override
    public void eventRefused(Event event, String reason) {
        metrics.refusal(reason);
    }

    @Override
    public void eventsSent(int count) {
        counters.eventsOut(count);
    }

    @Override
    public void broadcastDelivered(long nanos, long bytes) {
        timings.broadcastDelivered(nanos, bytes);
    }

    @Override
    public void connectAnswered(long nanos) {
        timings.connectAnswered(nanos);
    }
}
