package dev.switchboard.socketio;

/**
 * What the engine reports about one namespace, for the app's metrics (the way a connection pool calls its
 * metrics tracker). One tracker per namespace, made by the {@link Factory} set on the server
 * ({@link SocketIoServer.Builder#metricsTracker}) when the namespace is created. Called on the thread that did the
 * work (a worker, an I/O thread, an emit caller, a cluster adapter's thread): keep it short and never block. Every
 * method does nothing by default.
 */
public interface SocketIoMetricsTracker {
    /** Tracks nothing. */
    SocketIoMetricsTracker NONE = new SocketIoMetricsTracker() {
    };

    /** A socket was admitted (or recovered) in the namespace. */
    default void socketConnected(Socket socket) {
    }

    /** An admitted socket left, with Node's reason words. */
    default void socketDisconnected(Socket socket, String reason) {
    }

    /** An event reached the socket's queue, before any {@link EventInterceptor} (refused ones count too). */
    default void eventReceived(Event event) {
    }

    /** An {@link EventInterceptor} dropped an event. */
    default void eventRefused(Event event, String reason) {
    }

    /**
     * Events handed to sockets: 1 per {@link Socket#emit} (and its ack and volatile forms, when queued), and for
     * each broadcast the number of local sockets it reached, whether it was made here or arrived from another
     * node through a cluster adapter. Not called with 0.
     */
    default void eventsSent(int count) {
    }

    /**
     * A broadcast reached its last local recipient: {@code nanos} from the adapter's delivery start on this node
     * (the emit call, or its arrival from another node) to the last frame handed to a transport; {@code bytes} is
     * its encoded size (all its messages, counted once). Once per broadcast, never per recipient; not called for
     * a broadcast with no local recipient, and no clock is read for it when the tracker is {@link #NONE}.
     */
    default void broadcastDelivered(long nanos, long bytes) {
    }

    /** A namespace CONNECT was answered with CONNECT: {@code nanos} from its packet's arrival (middleware,
     *  auth included). */
    default void connectAnswered(long nanos) {
    }

    /** Makes the tracker of one namespace when it is created; return {@link #NONE} to track nothing there. */
    @FunctionalInterface
    interface Factory {
        Factory NONE = namespace -> SocketIoMetricsTracker.NONE;

        SocketIoMetricsTracker create(Namespace namespace);
    }
}
