package dev.switchboard.namespaces.core;

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

    /** Upstreams this namespace runs now (for /health's activeStreams). */
    int activeStreams();

    /** Stops every upstream (server shutdown). */
    @Override
    default void close() {
    }
}
