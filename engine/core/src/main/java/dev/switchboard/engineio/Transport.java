package dev.switchboard.engineio;

import java.util.ArrayDeque;

/**
 * What carries a session's packets: long-polling or a WebSocket. The session keeps the state machine, the outbox
 * and the heartbeat and sees its transport only through this; a transport reports back to its session
 * ({@link EngineSession#onPacket}, {@link EngineSession#onReady}, {@link EngineSession#onTransportDown},
 * {@link EngineSession#released}). Methods run on the session's event loop unless they say otherwise.
 */
interface Transport {

    /** "polling" or "websocket", as the protocol names it. Any thread. */
    String name();

    /** Whether {@link #send} delivers now: a WebSocket always, polling only while a GET is parked. */
    boolean readyToSend();

    /** Whether a droppable (volatile) packet should go now: a GET is parked, or the connection is writable. Any thread. */
    boolean writable();

    /** Bytes written to the connection and not yet handed to the kernel. Any thread. */
    long pendingBytes();

    /**
     * Sends everything in {@code outbox} as one batch (one flush, one polling response) and empties it; tells the
     * session {@link EngineSession#released} the bytes once the connection holds them.
     */
    void send(ArrayDeque<Object> outbox);

    /** Being replaced by an upgrade: lets go of what it holds back (a parked GET is answered with a noop). */
    void discard();

    /**
     * Ends the transport of a closing session. Unless {@code mode} drops them, the packets in {@code outbox} leave
     * first. Returns false when they cannot leave yet (polling without a parked GET): the session waits for one.
     */
    boolean close(ArrayDeque<Object> outbox, EngineSession.CloseMode mode);

    /** Closes the connection at once, nothing more sent (an upgrade given up). */
    void closeNow();
}
