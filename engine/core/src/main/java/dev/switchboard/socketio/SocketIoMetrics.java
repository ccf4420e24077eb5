package dev.switchboard.socketio;

/**
 * Counters since start, for /metrics. {@code droppedVolatile}: volatile packets not queued because the
 * session was over its outbound soft bound (or not writable); {@code slowConsumerDisconnects}: sessions closed
 * because a packet would have pushed them over the outbound hard bound; {@code recoveredSessions}: reconnects
 * restored by connection state recovery; {@code unrecoveredReconnects}: reconnects that asked for recovery
 * and got a new session (expired, unknown, or missed packets already evicted); {@code memoryShedConnections}:
 * connections (of every kind on the engine's port) closed because the JVM ran short of memory for what they held,
 * Socket.IO ones counted in {@code slowConsumerDisconnects} too. See docs/slow-consumers.md.
 */
public record SocketIoMetrics(long droppedVolatile, long slowConsumerDisconnects, long recoveredSessions,
                              long unrecoveredReconnects, long memoryShedConnections) {
}
