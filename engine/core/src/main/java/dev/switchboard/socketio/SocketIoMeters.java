package dev.switchboard.socketio;

/**
 * Timings the Socket.IO layer reports, for the app's metrics. Called on the thread that did the work (an emit
 * caller, a worker, an I/O thread): keep it short and never block. The engine measures once per broadcast and
 * once per namespace connect, never per recipient.
 */
public interface SocketIoMeters {
    /** Measures nothing: no clock is read. */
    SocketIoMeters NONE = new SocketIoMeters() {
    };

    /**
     * A broadcast reached its last local recipient: {@code nanos} from the adapter's delivery start on this node
     * (the emit call, or its arrival from another node) to the last frame handed to a transport; {@code bytes} is
     * its encoded size (all its messages, counted once). Not called for a broadcast with no local recipient.
     */
    default void broadcastDelivered(long nanos, long bytes) {
    }

    /** A namespace CONNECT was answered with CONNECT: {@code nanos} from its packet's arrival (middleware,
     *  auth included). */
    default void connectAnswered(long nanos) {
    }
}
