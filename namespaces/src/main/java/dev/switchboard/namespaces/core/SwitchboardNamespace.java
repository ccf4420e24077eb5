package dev.switchboard.namespaces.core;

/**
 * A namespace of the server, ready to install: the product's own ones are {@link NamespaceDefinition}s bound to
 * their settings, registered by one line in the app's {@code NamespaceRegistry}.
 */
public interface SwitchboardNamespace {

    /** The namespace path, e.g. "/system". */
    String name();

    /**
     * Whether it exposes the host (containers, processes, files): an exposed server without handshake auth refuses
     * connections to it.
     */
    default boolean sensitive() {
        return false;
    }

    /**
     * Declares the namespace's handlers on {@code context.namespace()} and starts what it needs; what runs is the
     * returned handle, closed at shutdown.
     */
    RunningNamespace install(NamespaceContext context);
}
