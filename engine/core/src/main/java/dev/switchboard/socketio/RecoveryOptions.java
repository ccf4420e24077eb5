package dev.switchboard.socketio;

import java.time.Duration;
import java.util.Objects;

/**
 * Connection state recovery (socket.io-client 4.6+): how long a disconnected session is kept, and the bounds
 * of the broadcast buffer its missed packets are replayed from. Node's buffer is bounded by time only; this
 * one also by packet count and bytes: a client that missed an evicted packet reconnects as a new, not
 * recovered, socket (it never gets a replay with a hole in it). The disconnected sessions kept are at most
 * {@code maxSavedSessions} per namespace (0: no bound; SocketIoServer makes it the engine's maxSessions), oldest
 * out first: a client that opens and cuts sessions from many addresses cannot grow the heap for the whole window.
 */
public record RecoveryOptions(Duration maxDisconnectionDuration, int maxBufferedPackets, long maxBufferedBytes,
                              int maxSavedSessions) {

    /** No bound of its own on the saved sessions (see SocketIoServer). */
    public RecoveryOptions(Duration maxDisconnectionDuration, int maxBufferedPackets, long maxBufferedBytes) {
        this(maxDisconnectionDuration, maxBufferedPackets, maxBufferedBytes, 0);
    }

    /** The same options with this bound on the saved sessions. */
    public RecoveryOptions withMaxSavedSessions(int max) {
        return new RecoveryOptions(maxDisconnectionDuration, maxBufferedPackets, maxBufferedBytes, max);
    }

    public RecoveryOptions {
        Objects.requireNonNull(maxDisconnectionDuration, "maxDisconnectionDuration");
        if (maxDisconnectionDuration.isNegative() || maxDisconnectionDuration.isZero()) {
            throw new IllegalArgumentException("maxDisconnectionDuration must be positive");
        }
        if (maxBufferedPackets < 1) {
            throw new IllegalArgumentException("maxBufferedPackets must be >= 1");
        }
        if (maxBufferedBytes < 1) {
            throw new IllegalArgumentException("maxBufferedBytes must be >= 1");
        }
        if (maxSavedSessions < 0) {
            throw new IllegalArgumentException("maxSavedSessions must be >= 0");
        }
    }
}
