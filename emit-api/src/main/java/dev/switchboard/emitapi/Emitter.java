package dev.switchboard.emitapi;

import dev.switchboard.socketio.BroadcastOperator;
import dev.switchboard.socketio.Namespace;

/** Runs a validated {@link EmitRequest} against the live namespaces. */
public final class Emitter {
    private static final String[] NO_ROOMS = new String[0];

    private final ServerView view;
    private final SwitchboardMetrics metrics;

    public Emitter(ServerView view, SwitchboardMetrics metrics) {
        this.view = view;
        this.metrics = metrics;
    }

    /** Broadcasts and returns how many sockets (on this node) it was handed to. */
    public int emit(EmitRequest request) {
        Namespace namespace = view.namespace(request.namespace());
        if (namespace == null) {
            throw new ApiException(404, "UNKNOWN_NAMESPACE", "namespace '" + request.namespace() + "' does not exist");
        }
        BroadcastOperator operator = request.rooms().isEmpty()
                ? namespace.except(request.except().toArray(NO_ROOMS))
                : namespace.to(request.rooms().toArray(NO_ROOMS)).except(request.except().toArray(NO_ROOMS));
        if (request.volatileFlag()) {
            operator = operator.droppable();
        }
        int delivered = request.data() == null
                ? operator.emit(request.event())
                : operator.emit(request.event(), request.data());
        metrics.namespace(namespace).emit();
        return delivered;
    }
}
