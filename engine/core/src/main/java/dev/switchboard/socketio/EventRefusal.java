package dev.switchboard.socketio;

/**
 * Thrown by an {@link EventInterceptor} to drop an event. {@code reason} is a word from a small fixed vocabulary
 * ("rate_limited"): it reaches {@link SocketIoMetricsTracker#eventRefused} and the log, never the client.
 */
public final class EventRefusal extends Exception {
    private final String reason;

    public EventRefusal(String reason) {
        super(reason, null, false, false); // control flow, not an error: no stack trace
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
    }

    public String reason() {
        return reason;
    }
}
