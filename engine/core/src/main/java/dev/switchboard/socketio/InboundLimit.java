package dev.switchboard.socketio;

/**
 * How much one client connection may have received and not yet handled (events queued for its handlers).
 * Past either bound the connection is closed ("forced close"): a client that sends faster than its handlers
 * run cannot grow the server's heap without bound. Counted per connection, over all its namespaces.
 */
public record InboundLimit(int maxPendingEvents, long maxPendingBytes) {
    public static final InboundLimit DEFAULT = new InboundLimit(10_000, 32L << 20);

    public InboundLimit {
        if (maxPendingEvents < 1 || maxPendingBytes < 1) {
            throw new IllegalArgumentException("inbound limits must be >= 1");
        }
    }
}
