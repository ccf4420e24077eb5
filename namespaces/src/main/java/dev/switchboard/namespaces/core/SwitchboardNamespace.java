package dev.switchboard.namespaces.core;

import java.util.List;

import dev.switchboard.socketio.Namespace;

/**
 * One namespace of the product (/services, /system, ...): one class each, registered by one line in
 * the app's {@code NamespaceRegistry}.
 */
public interface SwitchboardNamespace extends AutoCloseable {

    /** The namespace path, e.g. "/system". */
    String name();

    /**
     * Declares the namespace's handlers: greet each socket with {@code connected} (what it offers), register
     * its events, create its {@link SharedStreams} through {@code context} so /health counts them.
     */
    void install(Namespace namespace, NamespaceContext context);

    /** The backends this namespace depends on, probed for /metrics once installed; none by default. */
    default List<BackendProbe> backends() {
        return List.of();
    }

    /** Upstreams this namespace runs now (for /health's activeStreams). */
    int activeStreams();

    /** Stops every upstream (server shutdown). */
    @Override
    default void close() {
    }
}
