package dev.switchboard.namespaces.core;

import dev.switchboard.socketio.Socket;

/** A running upstream stream. Closed by {@link SharedStreams} when its last subscriber leaves. */
public interface Upstream extends AutoCloseable {

    /**
     * Admits one more subscriber: {@code join} puts the socket in the stream's room. An upstream with a backlog
     * (a tail, a history of samples) overrides this to send the backlog to the socket and join it under the same
     * lock it emits under, so the subscriber sees no gap and no duplicate.
     */
    default void admit(Socket subscriber, Runnable join) {
        join.run();
    }

    /** Stops the upstream. Must not wait for the upstream's own thread (it may be inside the sink). */
    @Override
    void close();
}
