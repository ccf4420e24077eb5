package dev.switchboard.app.guard;

import dev.switchboard.emitapi.NamespaceMetrics;
import dev.switchboard.socketio.BroadcastOperator;

/** A broadcast operator that counts the messages its emits hand to sockets. */
final class CountingBroadcast implements BroadcastOperator {
    private final BroadcastOperator delegate;
    private final NamespaceMetrics metrics;

    CountingBroadcast(BroadcastOperator delegate, NamespaceMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public BroadcastOperator to(String... rooms) {
        return new CountingBroadcast(delegate.to(rooms), metrics);
    }

    @Override
    public BroadcastOperator except(String... rooms) {
        return new CountingBroadcast(delegate.except(rooms), metrics);
    }

    @Override
    public BroadcastOperator droppable() {
        return new CountingBroadcast(delegate.droppable(), metrics);
    }

    @Override
    public int emit(String event, Object... args) {
        int delivered = delegate.emit(event, args);
        metrics.eventsOut(delivered);
        return delivered;
    }
}
