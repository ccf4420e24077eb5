package dev.switchboard.emitapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * POST /emit against the real engine and three real socket.io-client sockets:
 * A in rooms r1, B in r1 and r2, C in r2.
 */
class EmitRoutingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final String TOKEN = "routing-test-token-0123456789";

    private static SocketIoServer io;
    private static SwitchboardMetrics metrics;
    private static EmitApi api;
    private static ApiClient client;
    private static NodeClientDriver driver;
    private static NodeSocket a;
    private static NodeSocket b;
    private static NodeSocket c;

    @BeforeAll
    static void start() {
        io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .build();
        io.of("/rooms").onConnection(socket -> {
            socket.on("join", event -> {
                for (JsonNode room : event.arg(0)) {
                    socket.join(room.asText());
                }
                event.ack(true);
            });
            socket.emit("connected", Map.of("namespace", "/rooms"));
        });
        io.of("/empty");
        io.start();
        ServerView view = new NamespacesView(io::namespaces);
        metrics = new SwitchboardMetrics();
        api = new EmitApi(new EmitApiOptions("127.0.0.1", 0, TOKEN, 1_048_576, 10), view, metrics,
                new HealthReport(view, metrics, "test")).start();
        client = new ApiClient(api.port(), TOKEN);

        driver = NodeClientDriver.start();
        a = join("r1");
        b = join("r1", "r2");
        c = join("r2");
    }

    private static NodeSocket join(String... rooms) {
        NodeSocket socket = driver.connect("http://127.0.0.1:" + io.port(), "/rooms");
        socket.awaitConnect(WAIT);
        socket.emitWithAck("join", WAIT, (Object) rooms);
        return socket;
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.close();
        }
        if (api != null) {
            api.close();
        }
        if (io != null) {
            io.close(Duration.ofSeconds(1));
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    @BeforeEach
    void forgetEarlierEvents() {
        for (NodeSocket socket : List.of(a, b, c)) {
            socket.clearEvents();
        }
    }

    @Test
    void oneRoomReachesExactlyItsMembers() {
        assertDelivered(client.post("/emit", "{\"namespace\":\"/rooms\",\"room\":\"r1\",\"event\":\"e1\",\"data\":{\"x\":1}}"), 2);
        assertThat(a.awaitEvent("e1", WAIT).get(0).path("x").asInt()).isEqualTo(1);
        b.awaitEvent("e1", WAIT);
        c.assertNoEvent("e1", QUIET);
    }

    @Test
    void trailingSlashIsTheSameRoute() {
        assertDelivered(client.post("/emit/", "{\"namespace\":\"/rooms\",\"room\":\"r1\",\"event\":\"e9\"}"), 2);
        a.awaitEvent("e9", WAIT);
        assertThat(client.post("/emitx", "{}").status()).isEqualTo(404);
    }

    @Test
    void roomsAreAUnionAndEachSocketGetsTheEventOnce() {
        assertDelivered(client.post("/emit", "{\"namespace\":\"/rooms\",\"rooms\":[\"r1\",\"r2\"],\"event\":\"e2\",\"data\":\"hi\"}"), 3);
        for (NodeSocket socket : List.of(a, b, c)) {
            assertThat(socket.awaitEvent("e2", WAIT).get(0).asText()).isEqualTo("hi");
        }
        // events reach one socket in order: once the marker is there, a duplicate e2 would be there too
        assertDelivered(client.post("/emit", "{\"namespace\":\"/rooms\",\"room\":\"r2\",\"event\":\"e2-marker\"}"), 2);
        b.awaitEvent("e2-marker", WAIT);
        assertThat(b.events("e2")).hasSize(1);
    }

    /** Node's rooms are a Set: a room named twice (or in both room and rooms) is the room once, not a 500. */
    @Test
    void aRoomNamedTwiceIsTheRoomOnce() {
        assertDelivered(client.post("/emit", "{\"namespace\":\"/rooms\",\"rooms\":[\"r1\",\"r1\"],\"event\":\"d1\"}"), 2);
        assertDelivered(client.post("/emit", "{\"namespace\":\"/rooms\",\"room\":\"r1\",\"rooms\":[\"r1\"],\"event\":\"d2\"}"), 2);
        assertDelivered(client.post("/emit", "{\"namespace\":\"/rooms\",\"except\":[\"r1\",\"r1\"],\"event\":\"d3\"}"), 1);
        c.awaitEvent("d3", WAIT);
        // events reach one socket in order: d1 and d2 came once each if the marker finds them once
        assertDelivered(client.post("/emit", "{\"namespace\":\"/rooms\",\"room\":\"r1\",\"event\":\"d-marker\"}"), 2);
        a.awaitEvent("d-marker", WAIT);
        assertThat(a.events("d1")).hasSize(1);
        assertThat(a.events("d2")).hasSize(1);
        a.assertNoEvent("d3", Duration.ZERO);
    }

    @Test
    void exceptRemovesAnotherRoomsMembers() {
        assertDelivered(client.post("/emit", "{\"namespace\":\"/rooms\",\"room\":\"r1\",\"except\":\"r2\",\"event\":\"e3\"}"), 1);
        assertThat(a.awaitEvent("e3", WAIT)).isEmpty();
        b.assertNoEvent("e3", QUIET);
        c.assertNoEvent("e3", Duration.ZERO);
    }

    @Test
    void noRoomMeansTheWholeNamespaceMinusExcept() {
        assertDelivered(client.post("/emit", "{\"namespace\":\"rooms\",\"except\":[\"r1\"],\"event\":\"e4\",\"data\":[1,2]}"), 1);
        assertThat(c.awaitEvent("e4", WAIT).get(0).toString()).isEqualTo("[1,2]");
        a.assertNoEvent("e4", QUIET);
        b.assertNoEvent("e4", Duration.ZERO);
        assertDelivered(client.post("/emit", "{\"namespace\":\"/rooms\",\"event\":\"e5\",\"volatile\":true}"), 3);
        for (NodeSocket socket : List.of(a, b, c)) {
            socket.awaitEvent("e5", WAIT);
        }
    }

    @Test
    void unknownRoomAndEmptyNamespaceDeliverToNobody() {
        assertDelivered(client.post("/emit", "{\"namespace\":\"/rooms\",\"room\":\"nobody-here\",\"event\":\"e6\"}"), 0);
        assertDelivered(client.post("/emit", "{\"namespace\":\"/empty\",\"event\":\"e6\"}"), 0);
        a.assertNoEvent("e6", QUIET);
    }

    @Test
    void batchEmitsEachItemAndReportsEachResult() {
        ApiClient.Reply reply = client.post("/emit/batch", "["
                + "{\"namespace\":\"/rooms\",\"room\":\"r1\",\"event\":\"b1\",\"data\":1},"
                + "{\"namespace\":\"/rooms\",\"room\":\"r2\",\"event\":\"b2\",\"data\":2},"
                + "{\"namespace\":\"/missing\",\"event\":\"b3\"}]");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.path("success").asBoolean()).isFalse();
        assertThat(body.path("delivered").asInt()).isEqualTo(4);
        assertThat(body.path("failed").asInt()).isEqualTo(1);
        assertThat(body.path("results").get(0).path("delivered").asInt()).isEqualTo(2);
        assertThat(body.path("results").get(1).path("delivered").asInt()).isEqualTo(2);
        assertThat(body.path("results").get(2).path("error").path("code").asText()).isEqualTo("UNKNOWN_NAMESPACE");
        a.awaitEvent("b1", WAIT);
        c.awaitEvent("b2", WAIT);
        a.assertNoEvent("b2", QUIET);
        c.assertNoEvent("b1", Duration.ZERO);
    }

    @Test
    void successAnswerIsCompactJsonWithAndWithoutContentLength() {
        String body = "{\"namespace\":\"/rooms\",\"room\":\"r1\",\"event\":\"e7\",\"data\":{\"n\":7}}";
        ApiClient.Reply sized = client.post("/emit", body);
        assertThat(sized.status()).isEqualTo(200);
        assertThat(sized.contentType()).startsWith("application/json");
        assertThat(sized.body()).isEqualTo("{\"success\":true,\"delivered\":2}");
        // chunked: no Content-Length, the body is read up to the limit
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(client.base() + "/emit"))
                .timeout(WAIT)
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                .build();
        ApiClient.Reply reply = client.send(chunked);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"success\":true,\"delivered\":2}");
        assertThat(a.awaitEvents("e7", 2, WAIT)).allSatisfy(args -> assertThat(args.get(0).path("n").asInt()).isEqualTo(7));
        c.assertNoEvent("e7", QUIET);
    }

    /** Issue #16 item 2: the shape monitors already parse, these keys first, namespaces without their slash. */
    @Test
    void healthCountsConnectionsPerNamespaceInTheShapeMonitorsParse() {
        ApiClient.Reply reply = client.get("/health");
        assertThat(reply.body()).startsWith("{\"success\":true,\"status\":\"healthy\",\"connections\":{");
        JsonNode health = reply.json();
        assertThat(health.fieldNames()).toIterable().startsWith("success", "status", "connections", "activeStreams");
        assertThat(health.path("connections").path("rooms").asInt()).isEqualTo(3);
        assertThat(health.path("connections").path("empty").isInt()).isTrue();
        assertThat(health.path("connections").path("empty").asInt()).isZero();
        assertThat(health.path("connections").has("/rooms")).isFalse();
        assertThat(health.path("activeStreams").asInt(-1)).isZero();
        assertThat(health.path("uptime").isNumber()).isTrue();
        assertThat(health.path("version").asText()).isEqualTo("test");
        JsonNode stats = client.get("/stats").json();
        assertThat(stats.path("namespaces").path("/rooms").path("rooms").path("r2").asInt()).isEqualTo(2);
    }

    private static void assertDelivered(ApiClient.Reply reply, int delivered) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().path("success").asBoolean()).isTrue();
        assertThat(reply.json().path("delivered").asInt()).isEqualTo(delivered);
    }
}
