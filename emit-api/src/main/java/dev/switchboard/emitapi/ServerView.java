package dev.switchboard.emitapi;

import java.util.Collection;

import dev.switchboard.socketio.Namespace;

/** What the HTTP API reads from and emits through; implemented by the running server. */
public interface ServerView {

    /** A declared namespace by name ("/services"), or null when there is none. */
    Namespace namespace(String name);

    /** Every declared namespace, in declaration order. */
    Collection<Namespace> namespaces();

    /** Upstream producer streams running now, over all namespaces. */
    int activeStreams();

    ServerStatus status();
}
