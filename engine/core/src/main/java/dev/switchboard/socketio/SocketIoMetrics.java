package dev.switchboard.socketio;

/**
 * Counters since start, for /metrics. {@code droppedVolatile}: volatile packets not queued because the
 * session was over its outbound soft bound (or not writable); {@code slowConsumerDisconnects}: sessions closed
 * because a packet would have pushed them over the outbound hard bound; {@code recoveredSessions}: reconnects
 * restored by connection state recovery; {@code unrecoveredReconnects}: reconnects that asked for recovery
 * and got a new session (expired, unknown, or missed packets already evicted). See docs/slow-consumers.md.
 */
public record SocketIoMetrics(long droppedVolatile, long slowConsumerDisconnects, long recoveredSessions,
                              long unrecoveredReconnects) {
}
