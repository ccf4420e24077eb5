package dev.switchboard.namespaces.core;

import java.util.List;

/** An installed namespace: what it runs now, the backends it depends on, and how to stop it. */
public interface RunningNamespace extends AutoCloseable {

    /** Upstreams it runs now (for /health's activeStreams). */
    int activeStreams();

    /** The backends it depends on, probed for /metrics; none by default. */
    default List<BackendProbe> backends() {
        return List.of();
    }

    /** Stops every upstream (server shutdown). */
    @Override
    default void close() {
    }
}
