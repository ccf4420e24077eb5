package dev.switchboard.emitapi;

/** Readiness as reported by {@code GET /health}. */
public enum ServerStatus {
    /** Binding ports and installing namespaces. */
    STARTING("starting"),
    /** Accepting connections; the word monitors look for. */
    OK("healthy"),
    /** Serving local sockets, but the cluster backend (Redis) is unreachable: cross-node delivery is paused. */
    DEGRADED("degraded"),
    /** Shutting down: no new connections, clients told to reconnect elsewhere. */
    DRAINING("draining");

    private final String label;

    ServerStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** HTTP status of /health: 200 while serving (degraded included), so load balancers stop routing only to a
     *  node that is starting or draining. */
    public int httpStatus() {
        return this == OK || this == DEGRADED ? 200 : 503;
    }
}
