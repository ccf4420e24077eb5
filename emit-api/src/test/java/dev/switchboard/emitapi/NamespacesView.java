package dev.switchboard.emitapi;

import java.util.Collection;
import java.util.function.Supplier;

import dev.switchboard.socketio.Namespace;

/** A {@link ServerView} over the given namespaces, with no producer streams and status ok. */
final class NamespacesView implements ServerView {
    private final Supplier<Collection<Namespace>> namespaces;

    NamespacesView(Supplier<Collection<Namespace>> namespaces) {
        this.namespaces = namespaces;
    }

    @Override
    public Namespace namespace(String name) {
        for (Namespace namespace : namespaces.get()) { // no stream: EmitterAllocationTest counts what a lookup allocates
            if (namespace.name().equals(name)) {
                return namespace;
            }
        }
        return null;
    }

    @Override
    public Collection<Namespace> namespaces() {
        return namespaces.get();
    }

    @Override
    public int activeStreams() {
        return 0;
    }

    @Override
    public ServerStatus status() {
        return ServerStatus.OK;
    }
}
