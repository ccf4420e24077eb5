package dev.switchboard.socketio;

/**
 * Sees every event a socket receives before its handler, like Node's {@code socket.use}: registered with
 * {@link Socket#use}, run in registration order on the socket's queue, for events with and without a handler.
 * Returning lets the event go on; throwing {@link EventRefusal} drops it (no later interceptor and no handler sees
 * it, and the {@link SocketIoMetricsTracker} counts a refusal). Telling the client is the interceptor's choice,
 * before it throws: an {@code error} event, the ack the event asked for, a disconnect. Any other exception is
 * logged and drops the event too.
 */
@FunctionalInterface
public interface EventInterceptor {
    void intercept(Event event) throws EventRefusal;
}
