package dev.switchboard.app.compat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.testkit.DriverJson;

/**
 * A client driven over the JSON-lines protocol shared by test-support/python/sio_client.py (python-socketio)
 * and test-support/node/browser-driver.mjs (socket.io-client in headless Chromium).
 */
final class LineCompatClient implements CompatClient {
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final Duration REPLY = Duration.ofSeconds(10);

    private final JsonLineProcess process;
    private final boolean ownsProcess;

    /** @param ownsProcess whether {@link #close} stops the process (a browser is shared by the matrix's rows) */
    LineCompatClient(JsonLineProcess process, boolean ownsProcess) {
        this.process = process;
        this.ownsProcess = ownsProcess;
    }

    @Override
    public void connect(String url, List<String> namespaces, Transport transport, Map<String, List<String>> events) {
        process.clearEvents();
        ObjectNode cmd = process.command("connect").put("url", url).put("timeoutMs", CONNECT.toMillis());
        cmd.set("namespaces", DriverJson.mapper().valueToTree(namespaces));
        cmd.set("transports", DriverJson.mapper().valueToTree(transport.names()));
        cmd.set("events", DriverJson.mapper().valueToTree(events));
        process.request(cmd, CONNECT.plus(REPLY));
    }

    @Override
    public JsonNode awaitEvent(String namespace, String name, Duration timeout) {
        return process.awaitEvent(e -> e.path("namespace").asText().equals(namespace) && e.path("name").asText().equals(name),
                timeout, "event '" + name + "' on " + namespace).get("args");
    }

    @Override
    public ArrayNode call(String namespace, String event, Duration timeout, JsonNode... args) {
        ObjectNode cmd = process.command("call").put("namespace", namespace).put("event", event)
                .put("timeoutMs", timeout.toMillis());
        cmd.set("args", DriverJson.mapper().valueToTree(List.of(args)));
        return (ArrayNode) process.request(cmd, timeout.plus(REPLY)).get("ack");
    }

    @Override
    public void disconnect() {
        process.request(process.command("disconnect"), REPLY);
    }

    @Override
    public void close() {
        if (ownsProcess) {
            process.close();
        } else {
            process.request(process.command("disconnect"), REPLY); // a shared browser starts the next cell afresh
        }
    }
}
