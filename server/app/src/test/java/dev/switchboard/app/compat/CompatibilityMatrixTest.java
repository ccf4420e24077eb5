package dev.switchboard.app.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.app.EchoNamespace;
import dev.switchboard.app.Http;
import dev.switchboard.app.SwitchboardServer;
import dev.switchboard.app.TestServers;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.DriverJson;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.RepoPaths;

/**
 * Issue #16 item 10, the client compatibility matrix: every client library × transport runs the same cell against
 * the shipped namespaces (plus {@link EchoNamespace} at {@code /echo} for acks and binary):
 * <ol>
 * <li>connect to {@code /mcp} and {@code /echo} over ONE connection, each greets with {@code connected};
 * {@code /health} counts one socket on each;</li>
 * <li>{@code join} a {@code /mcp} room (ack {@code ok});</li>
 * <li>{@code POST /emit} to that room reaches the client with exactly the posted arguments (python-socketio's
 * one-argument handlers would raise on anything more);</li>
 * <li>an event with an ack ({@code /echo} {@code join} → {@code true});</li>
 * <li>binary both ways: {@code echo} with bytes (top level and nested) comes back as the ack and as an
 * {@code echoed} event, byte for byte;</li>
 * <li>disconnect: {@code /health} counts 0 on both namespaces.</li>
 * </ol>
 * One server per parser (the msgpack row has its own, started when it first runs), cells in sequence, on the
 * shipped defaults (so /mcp keeps its room history: offsets must not leak into the arguments).
 */
class CompatibilityMatrixTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> NAMESPACES = List.of("/mcp", "/echo");
    /** Events each client records; python-socketio needs one (one-argument) handler per name. */
    private static final Map<String, List<String>> EVENTS = Map.of(
            "/mcp", List.of("connected", "joined", "progress"),
            "/echo", List.of("connected", "echoed"));

    enum Row {
        NODE_V4("socket.io-client 4.x"),
        NODE_V3("socket.io-client 3.x"),
        NODE_V2("socket.io-client 2.x (Engine.IO v3)"),
        JAVA("Java io.socket:socket.io-client"),
        PYTHON("python-socketio (Debian python3-socketio)"),
        MSGPACK("socket.io-client 4.x + socket.io-msgpack-parser, server SOCKETIO_PARSER=msgpack"),
        CHROMIUM("socket.io-client 4.x in headless Chromium, another origin");

        final String title;

        Row(String title) {
            this.title = title;
        }

        @Override
        public String toString() {
            return title;
        }
    }

    @TempDir
    static Path home;

    private static NodeClientDriver nodeDriver;
    private static JsonLineProcess browser;
    private static SwitchboardServer defaultServer;
    private static SwitchboardServer msgpackServer;

    @BeforeAll
    static void start() {
        // the page's origin (another loopback port than the server's) is what CORS_ORIGINS must allow
        browser = JsonLineProcess.start("chromium", List.of("node", "browser-driver.mjs", "0"), RepoPaths.nodeDir(),
                Duration.ofSeconds(40));
        nodeDriver = NodeClientDriver.start();
        defaultServer = startServer(Map.of());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {nodeDriver, browser, defaultServer, msgpackServer}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        // -Dcompat.rows=PYTHON,JAVA runs only those rows (while working on one client)
        String only = System.getProperty("compat.rows", "");
        for (Row row : Row.values()) {
            if (!only.isBlank() && !List.of(only.split(",")).contains(row.name())) {
                continue;
            }
            for (Transport transport : Transport.values()) {
                cells.add(Arguments.of(row, transport));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("cells")
    void cell(Row row, Transport transport) {
        SwitchboardServer server = row == Row.MSGPACK ? msgpackServer() : defaultServer;
        String room = "compat-" + row.name().toLowerCase() + "-" + transport;
        try (CompatClient client = open(row)) {
            client.connect(TestServers.url(server), NAMESPACES, transport, EVENTS);
            assertThat(client.awaitEvent("/mcp", "connected", WAIT).size()).isEqualTo(1);
            assertThat(client.awaitEvent("/echo", "connected", WAIT).size()).isEqualTo(1);
            awaitHealthCount(server, 1);

            ArrayNode joined = client.call("/mcp", "join", WAIT, json().put("room", room));
            assertThat(joined.path(0).path("ok").asBoolean()).as("join ack %s", joined).isTrue();
            assertThat(client.awaitEvent("/mcp", "joined", WAIT).path(0).path("room").asText()).isEqualTo(room);

            ObjectNode data = json().put("room", room).put("n", 42).put("pi", 3.25).put("text", "héllo ✓ \"q\"")
                    .putNull("none");
            data.putArray("list").add(1).add("two").addNull().add(true);
            data.putObject("nested").putObject("a").putArray("b");
            ObjectNode emit = json().put("namespace", "/mcp").put("room", room).put("event", "progress");
            emit.set("data", data);
            assertThat(Http.emit(server, emit.toString())).as("delivered").isEqualTo(1);
            assertThat(client.awaitEvent("/mcp", "progress", WAIT)).as("exactly the posted arguments")
                    .isEqualTo(DriverJson.mapper().createArrayNode().add(data));

            // an ack with a plain value (not 'ping': socket.io-client 2.x reserves that name for itself)
            assertThat(client.call("/echo", "join", WAIT, DriverJson.mapper().getNodeFactory().textNode(room)))
                    .isEqualTo(DriverJson.mapper().createArrayNode().add(true));

            // one argument holding binary at the top of an object and inside an array (one-argument handlers)
            ObjectNode bytes = json();
            bytes.set("bytes", DriverJson.binary(new byte[] {0, 1, 2, 127, -128, -1}));
            bytes.putArray("parts").add(DriverJson.binary(new byte[] {42})).add("text");
            ArrayNode expected = DriverJson.mapper().createArrayNode().add(bytes);
            assertThat(client.call("/echo", "echo", WAIT, bytes)).as("binary ack").isEqualTo(expected);
            assertThat(client.awaitEvent("/echo", "echoed", WAIT)).as("binary event").isEqualTo(expected);

            client.disconnect();
            awaitHealthCount(server, 0);
        }
    }

    private static CompatClient open(Row row) {
        return switch (row) {
            case NODE_V4 -> new NodeCompatClient(nodeDriver, "v4", null);
            case NODE_V3 -> new NodeCompatClient(nodeDriver, "v3", null);
            case NODE_V2 -> new NodeCompatClient(nodeDriver, "v2", null);
            case MSGPACK -> new NodeCompatClient(nodeDriver, "v4", "msgpack");
            case JAVA -> new JavaCompatClient();
            case PYTHON -> new LineCompatClient(JsonLineProcess.start("python-socketio",
                    List.of("/usr/bin/python3", "sio_client.py"), RepoPaths.testSupport().resolve("python"),
                    Duration.ofSeconds(10)), true);
            case CHROMIUM -> new LineCompatClient(browser, false);
        };
    }

    private static synchronized SwitchboardServer msgpackServer() {
        if (msgpackServer == null) {
            msgpackServer = startServer(Map.of("SOCKETIO_PARSER", "msgpack"));
        }
        return msgpackServer;
    }

    private static SwitchboardServer startServer(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("PM2_HOME", home.toString()); // never the real ~/.pm2
        env.put("FILES_ROOTS", home.toString());
        env.put("CORS_ORIGINS", browser.hello().path("origin").asText());
        env.putAll(overrides);
        return TestServers.startWithRegistry(env, new EchoNamespace("/echo"));
    }

    /** Waits until /health counts {@code expected} sockets on /mcp and on /echo. */
    private static void awaitHealthCount(SwitchboardServer server, int expected) {
        JsonNode[] last = new JsonNode[1];
        Await.until(() -> {
            last[0] = Http.get(server.apiPort(), "/health").json().path("connections");
            return count(last[0], "mcp") == expected && count(last[0], "echo") == expected;
        }, WAIT, "/health connections mcp=echo=" + expected);
    }

    /** A namespace's count in /health: keyed "mcp" (the shape monitors parse) or "/mcp" (before sec-api). */
    private static int count(JsonNode connections, String name) {
        JsonNode n = connections.has(name) ? connections.get(name) : connections.path("/" + name);
        return n.asInt(-1);
    }

    private static ObjectNode json() {
        return DriverJson.mapper().createObjectNode();
    }
}
