package dev.switchboard.app.compat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * One client library under test, seen the same way for every row of the compatibility matrix: one Engine.IO
 * connection multiplexing several namespaces. Arguments and received args are JSON trees; bytes travel as
 * {@code {"$binary": base64}} (dev.switchboard.testkit.DriverJson#binary).
 */
interface CompatClient extends AutoCloseable {

    /**
     * Connects to every namespace over ONE connection and returns once all are connected. {@code events}: the
     * event names to record per namespace (clients such as python-socketio need a handler per name).
     */
    void connect(String url, List<String> namespaces, Transport transport, Map<String, List<String>> events);

    /** The args array of the first event {@code name} received on {@code namespace}. */
    JsonNode awaitEvent(String namespace, String name, Duration timeout);

    /** Emits with an ack callback; returns the ack's args array. */
    ArrayNode call(String namespace, String event, Duration timeout, JsonNode... args);

    /** Disconnects from every namespace (a client-side DISCONNECT, no reconnection). */
    void disconnect();

    @Override
    void close();
}
