package dev.switchboard.redis;

/** Cluster-wide state cannot be read because Redis is unreachable; fall back to local counts and report degraded. */
public final class ClusterUnavailableException extends RuntimeException {
    public ClusterUnavailableException(String message) {
        super(message);
    }
}
