package dev.switchboard.socketio;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link SocketIoMetrics}. */
final class ServerCounters {
    final LongAdder droppedVolatile = new LongAdder();
    final LongAdder slowConsumerDisconnects = new LongAdder();
    final LongAdder recoveredSessions = new LongAdder();
    final LongAdder unrecoveredReconnects = new LongAdder();

    SocketIoMetrics snapshot(long memoryShedConnections) {
        return new SocketIoMetrics(droppedVolatile.sum(), slowConsumerDisconnects.sum(), recoveredSessions.sum(),
                unrecoveredReconnects.sum(), memoryShedConnections);
    }
}
