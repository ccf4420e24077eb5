package dev.switchboard.socketio;

/**
 * Sees every broadcast of one namespace that this node delivers: made here, or arrived from another node through
 * a cluster adapter (both go through {@link InMemoryAdapter#broadcast}), whether or not a local socket received
 * it. Lets something beside Socket.IO (plain WebSocket channels) follow the namespace's event stream without
 * wrapping its adapter. Set with {@link SocketIoServer.Builder#broadcastListener}.
 *
 * <p>Called on the broadcasting thread (a handler, an HTTP worker, a cluster adapter's I/O thread), after the
 * local sockets were handed the packet, and possibly from several threads at once: keep it short and
 * non-blocking. A listener that throws loses that one notification; the broadcast itself is unaffected.
 */
public interface BroadcastListener {

    /** One broadcast delivered on this node ({@code options.rooms()} empty: to the whole namespace). */
    void onBroadcast(BroadcastPacket packet, BroadcastOptions options);

    /**
     * Whether this listener wants broadcasts to {@code room} even when no local socket is in it: a cluster
     * adapter asks before skipping a one-room broadcast from another node. Called on an I/O thread; must be cheap.
     */
    default boolean wantsRoom(String room) {
        return false;
    }

    /** Makes the listener of one namespace, when the namespace is created; null = none for that namespace. */
    @FunctionalInterface
    interface Factory {
        BroadcastListener create(String namespace);
    }
}
