package dev.switchboard.socketio;

/**
 * A broadcast being described: rooms to include and exclude, flags. Immutable: every call returns a new operator.
 * Emitting encodes the packet once and writes the same bytes to every recipient.
 */
public interface BroadcastOperator {

    BroadcastOperator to(String... rooms);

    BroadcastOperator except(String... rooms);

    /**
     * Drop the packet for recipients that cannot take it right now instead of queueing it: Node's
     * {@code volatile} flag ({@code io.to(room).volatile.emit(...)}), the rule of {@link Socket#emitVolatile}.
     */
    BroadcastOperator droppable();

    /** Returns how many sockets (on this node) it was handed to. */
    int emit(String event, Object... args);
}
