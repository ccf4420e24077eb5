package dev.switchboard.socketio;

import java.time.Duration;
import java.util.Objects;

/**
 * Connection state recovery (socket.io-client 4.6+): how long a disconnected session is kept, and the bounds
 * of the broadcast buffer its missed packets are replayed from. Node's buffer is bounded by time only; this
 * one also by packet count and bytes: a client that missed an evicted packet reconnects as a new, not
 * recovered, socket (it never gets a replay with a hole in it).
 */
public record RecoveryOptions(Duration maxDisconnectionDuration, int maxBufferedPackets, long maxBufferedBytes) {

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
    }
}
