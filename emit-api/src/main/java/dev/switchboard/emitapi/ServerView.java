package dev.switchboard.emitapi;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** Sockets per namespace: across every node when the server is clustered, else this node's. */
    default Map<String, Integer> connections() {
        Map<String, Integer> connections = new LinkedHashMap<>();
        for (Namespace namespace : namespaces()) {
            connections.put(namespace.name(), namespace.socketCount());
        }
        return connections;
    }
}
