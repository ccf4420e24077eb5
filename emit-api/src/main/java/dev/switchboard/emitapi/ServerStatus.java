package dev.switchboard.emitapi;

/** Readiness as reported by {@code GET /health}. */
public enum ServerStatus {
    /** Binding ports and installing namespaces. */
    STARTING("starting"),
    /** Accepting connections. */
    OK("ok"),
    /** Shutting down: no new connections, clients told to reconnect elsewhere. */
    DRAINING("draining");

    private final String label;

    ServerStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** HTTP status of /health: 200 only when ready, so load balancers stop routing to a draining node. */
    public int httpStatus() {
        return this == OK ? 200 : 503;
    }
}
