package dev.switchboard.app.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * socket.io-client from Node (v4, v3, v2; optionally with socket.io-msgpack-parser) through the testkit driver:
 * the first namespace opens the connection, the others join its Manager ({@code sameConnectionAs}).
 */
final class NodeCompatClient implements CompatClient {
    private static final Duration CONNECT = Duration.ofSeconds(10);

    private final NodeClientDriver driver;
    private final String version;
    private final String parser;
    private final Map<String, NodeSocket> sockets = new LinkedHashMap<>();

    /** @param parser null for the built-in parser, {@code "msgpack"} for socket.io-msgpack-parser */
    NodeCompatClient(NodeClientDriver driver, String version, String parser) {
        this.driver = driver;
        this.version = version;
        this.parser = parser;
    }

    @Override
    public void connect(String url, List<String> namespaces, Transport transport, Map<String, List<String>> events) {
        NodeSocket first = null;
        for (String namespace : namespaces) {
            ClientOptions options = ClientOptions.defaults().version(version).reconnection(false).timeout(CONNECT);
            if (transport.names() != null) {
                options.transports(transport.names().toArray(String[]::new));
            }
            if (parser != null) {
                options.set("parser", parser);
            }
            if (first != null) {
                options.set("sameConnectionAs", first.id());
            }
            NodeSocket socket = driver.connect(url, namespace, options);
            sockets.put(namespace, socket);
            first = first == null ? socket : first;
        }
        for (NodeSocket socket : sockets.values()) {
            socket.awaitConnect(CONNECT);
        }
        // one Engine.IO session under every namespace
        String engineId = first.state().path("engineId").asText();
        for (NodeSocket socket : sockets.values()) {
            assertThat(socket.state().path("engineId").asText()).as("engine id of " + socket.namespace()).isEqualTo(engineId);
        }
    }

    @Override
    public JsonNode awaitEvent(String namespace, String name, Duration timeout) {
        return socket(namespace).awaitEvent(name, timeout);
    }

    @Override
    public ArrayNode call(String namespace, String event, Duration timeout, JsonNode... args) {
        return socket(namespace).emitWithAck(event, timeout, (Object[]) args);
    }

    @Override
    public void disconnect() {
        sockets.values().forEach(NodeSocket::disconnect);
    }

    @Override
    public void close() {
        // the driver is shared by the matrix: leave no socket of this cell connected to the next one
        for (NodeSocket socket : sockets.values()) {
            try {
                socket.disconnect();
            } catch (RuntimeException | AssertionError e) {
                // already gone
            }
        }
    }

    private NodeSocket socket(String namespace) {
        NodeSocket socket = sockets.get(namespace);
        if (socket == null) {
            throw new IllegalStateException("not connected to " + namespace);
        }
        return socket;
    }
}
