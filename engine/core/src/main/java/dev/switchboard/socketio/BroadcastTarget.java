package dev.switchboard.socketio;

import dev.switchboard.engineio.EngineMessage;

/** What a namespace offers its {@link Adapter}: encoding a broadcast once and delivering it to local sockets. */
public interface BroadcastTarget {

    /** The namespace name ("/", "/system", ...). */
    String name();

    /** Encodes the packet once (text message, then its binary attachments). */
    EngineMessage[] encode(BroadcastPacket packet);

    /**
     * Hands already encoded messages to one local socket of this namespace. Returns false when no admitted
     * socket has this id here, or (volatile) when it could not take them right now.
     */
    boolean deliver(String socketId, EngineMessage[] messages, boolean droppable);

    /**
     * {@link #deliver(String, EngineMessage[], boolean)} for the messages {@link #encode} made of {@code packet}: the
     * namespace may hand a socket another encoding the packet carries (a recorded broadcast without its offset,
     * to a socket that did not ask for offsets). Adapters deliver broadcasts through this one.
     */
    default boolean deliver(String socketId, BroadcastPacket packet, EngineMessage[] messages, boolean droppable) {
        return deliver(socketId, messages, droppable);
    }

    /**
     * A broadcast another node made, for this node's sockets only ({@code options.local()}): goes through the
     * namespace as a local broadcast would, so connection state recovery and history record it too and a client
     * that reconnects to this node recovers what other nodes sent while it was away. Returns sockets reached.
     */
    default int receiveRemote(BroadcastPacket packet, BroadcastOptions options) {
        throw new UnsupportedOperationException("remote broadcasts are not supported by " + getClass().getName());
    }

    /**
     * Whether broadcasts to {@code room} must reach this namespace even with no socket in the room here: true
     * while connection state recovery (a disconnected socket may come back for them) or a history of the room
     * records them.
     */
    default boolean recordsBroadcastsTo(String room) {
        return false;
    }

    /**
     * Where the adapter reports how many local sockets each broadcast reached ({@link SocketIoMetricsTracker#eventsSent}),
     * made here or arrived from another node, and its delivery time and size
     * ({@link SocketIoMetricsTracker#broadcastDelivered}).
     */
    default SocketIoMetricsTracker tracker() {
        return SocketIoMetricsTracker.NONE;
    }

    /** Who the adapter tells about every broadcast it delivers (see {@link BroadcastListener}); null when none. */
    default BroadcastListener broadcastListener() {
        return null;
    }
}
