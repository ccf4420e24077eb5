package dev.switchboard.namespaces.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;


import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.namespaces.core.NamespaceTestServer;
import dev.switchboard.namespaces.core.NodeClients;

/** /mcp on a real server, driven by the real Node socket.io-client. */
class McpNamespaceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final NodeClients clients = new NodeClients();
    McpNamespace mcp;
    NamespaceTestServer server;
    HttpServer webhook;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    private void start(McpSettings settings) {
        server = NamespaceTestServer.start(McpNamespace.DEFINITION.with(settings));
        mcp = server.running();
    }

    private NodeSocket connect(ClientOptions options) {
        return clients.connect(server, options, WAIT);
    }

    private static JsonNode ack(NodeSocket socket, String event, Object arg) {
        return socket.emitWithAck(event, WAIT, arg).get(0);
    }

    @Test
    void joinLeaveAndEmitReachExactlyTheRoom() {
        start(McpSettings.defaults());
        NodeSocket a = connect(ClientOptions.defaults());
        NodeSocket b = connect(ClientOptions.defaults());
        NodeSocket c = connect(ClientOptions.defaults());
        assertThat(a.awaitEvent("connected", WAIT).get(0).path("forwarding").asBoolean(true)).isFalse();

        JsonNode joined = ack(a, "join", Map.of("room", "exec-42"));
        assertThat(joined.path("ok").asBoolean()).isTrue();
        assertThat(joined.path("room").asText()).isEqualTo("exec-42");
        assertThat(a.awaitEvent("joined", WAIT).get(0).path("room").asText()).isEqualTo("exec-42");
        b.emit("join", "exec-42"); // plain string, no ack
        b.awaitEvent("joined", WAIT);
        ack(c, "join", "thread-7");

        server.namespace().to("exec-42").emit("progress", Map.of("step", 1));
        server.namespace().emit("fence", 1); // every socket; arrives after anything sent to it before
        for (NodeSocket s : List.of(a, b, c)) {
            s.awaitEvent("fence", WAIT);
        }
        assertThat(a.events("progress")).hasSize(1);
        assertThat(b.events("progress")).hasSize(1);
        assertThat(b.events("progress").get(0).get(0).path("step").asInt()).isEqualTo(1);
        assertThat(c.events("progress")).isEmpty();

        JsonNode left = ack(a, "leave", Map.of("room", "exec-42"));
        assertThat(left.path("ok").asBoolean()).isTrue();
        a.awaitEvent("left", WAIT);
        server.namespace().to("exec-42").emit("progress", Map.of("step", 2));
        server.namespace().emit("fence", 2);
        for (NodeSocket s : List.of(a, b, c)) {
            s.awaitServerEvent("fence", x -> true, 2, WAIT);
        }
        assertThat(a.events("progress")).hasSize(1);
        assertThat(b.events("progress")).hasSize(2);
        assertThat(c.events("progress")).isEmpty();
        for (NodeSocket s : List.of(a, b, c)) {
            s.disconnect();
        }
    }

    @Test
    void joinWithHistoryReplaysKeptEventsWithAndWithoutSince() {
        start(McpSettings.defaults().withHistory(3, Duration.ofMinutes(5)));
        for (int i = 0; i < 5; i++) {
            server.namespace().to("exec-1").emit("progress", Map.of("step", i)); // before anyone joined
        }
        NodeSocket a = connect(ClientOptions.defaults().auth(Map.of("offsets", true))); // it wants the offsets
        JsonNode joined = ack(a, "join", Map.of("room", "exec-1"));
        assertThat(joined.path("replayed").asInt()).isEqualTo(3);
        assertThat(joined.path("complete").asBoolean()).isFalse(); // steps 0 and 1 are no longer kept
        List<JsonNode> history = a.awaitEvents("progress", 3, WAIT);
        assertThat(history).extracting(e -> e.get(0).path("step").asInt()).containsExactly(2, 3, 4);
        assertThat(a.awaitEvent("joined", WAIT).get(0).path("room").asText()).isEqualTo("exec-1");

        NodeSocket b = connect(ClientOptions.defaults());
        String offsetOfStep3 = history.get(1).get(1).asText(); // the offset rides as the last argument
        JsonNode resumed = ack(b, "join", Map.of("room", "exec-1", "since", offsetOfStep3));
        assertThat(resumed.path("replayed").asInt()).isEqualTo(1);
        assertThat(resumed.path("complete").asBoolean()).isTrue();
        assertThat(b.awaitEvents("progress", 1, WAIT).get(0).get(0).path("step").asInt()).isEqualTo(4);

        JsonNode bad = ack(b, "join", Map.of("room", "exec-1", "since", "yesterday"));
        assertThat(bad.path("ok").asBoolean(true)).isFalse();
        assertThat(bad.toString()).contains("since must be an event offset");

        server.namespace().to("exec-1").emit("progress", Map.of("step", 5));
        server.namespace().emit("fence", 1);
        a.awaitEvent("fence", WAIT);
        b.awaitEvent("fence", WAIT);
        assertThat(a.events("progress")).extracting(e -> e.get(0).path("step").asInt()).containsExactly(2, 3, 4, 5);
        assertThat(b.events("progress")).extracting(e -> e.get(0).path("step").asInt()).containsExactly(4, 5);

        NodeSocket plain = connect(ClientOptions.defaults()); // a room nothing was sent to yet: nothing to replay
        JsonNode other = ack(plain, "join", Map.of("room", "thread-1"));
        assertThat(other.path("ok").asBoolean()).isTrue();
        assertThat(other.path("replayed").asInt()).isZero();
    }

    /**
     * A backend posting large events to many rooms cannot fill the heap through the history: by default all rooms
     * together keep at most MCP_HISTORY_MAX_BYTES (64 MiB) of events, the oldest of any room out first, and that
     * room's replay says it is incomplete (on main: 100 events per room times 10,000 rooms, whatever their size;
     * 78 events of 1 MB took a 256 MB heap to OutOfMemoryError).
     */
    @Test
    void historyOfAllRoomsKeepsAtMostItsByteBoundOldestOut() {
        start(McpSettings.defaults());
        String megabyte = "m".repeat(1 << 20);
        int rooms = 48; // each kept twice (with and without the offset): about 96 MiB posted
        for (int i = 0; i < rooms; i++) {
            server.namespace().to("exec-" + i).emit("progress", megabyte);
        }
        NodeSocket a = connect(ClientOptions.defaults());
        JsonNode oldest = ack(a, "join", Map.of("room", "exec-0"));
        assertThat(oldest.path("replayed").asInt()).as("the oldest room's event was dropped").isZero();
        assertThat(oldest.path("complete").asBoolean()).isFalse();
        JsonNode newest = ack(a, "join", Map.of("room", "exec-" + (rooms - 1)));
        assertThat(newest.path("replayed").asInt()).isEqualTo(1);
        assertThat(newest.path("complete").asBoolean()).isTrue();
        assertThat(a.awaitEvents("progress", 1, WAIT).get(0).get(0).asText()).hasSize(1 << 20);
    }

    /**
     * Issue #16 item 3: an event reaches a client with exactly the arguments the backend posted; the history offset
     * rides as an extra last argument only for a client that asked (handshake {@code auth.offsets} or query
     * {@code offsets=true}, or a join with {@code since}).
     */
    @Test
    void eventsCarryExactlyThePostedArgumentsUnlessOffsetsWereAsked() {
        start(McpSettings.defaults()); // history on by default (MCP_HISTORY_SIZE=100)
        server.namespace().to("exec-9").emit("status", Map.of("phase", "queued")); // kept, replayed on join
        NodeSocket plain = connect(ClientOptions.defaults());
        NodeSocket byAuth = connect(ClientOptions.defaults().auth(Map.of("offsets", true)));
        NodeSocket byQuery = connect(ClientOptions.defaults().query(Map.of("offsets", "true")));
        NodeSocket bySince = connect(ClientOptions.defaults());
        for (NodeSocket s : List.of(plain, byAuth, byQuery)) {
            assertThat(ack(s, "join", Map.of("room", "exec-9")).path("replayed").asInt()).isEqualTo(1);
        }
        Map<String, Object> sinceNull = new java.util.HashMap<>();
        sinceNull.put("room", "exec-9");
        sinceNull.put("since", null);
        assertThat(ack(bySince, "join", sinceNull).path("replayed").asInt()).isEqualTo(1);

        server.namespace().to("exec-9").emit("status", Map.of("phase", "running"));
        List<JsonNode> plainEvents = plain.awaitEvents("status", 2, WAIT);
        assertThat(plainEvents).extracting(args -> args.size()).as("exactly the posted data").containsExactly(1, 1);
        assertThat(plainEvents).extracting(args -> args.get(0).path("phase").asText()).containsExactly("queued", "running");
        for (NodeSocket asked : List.of(byAuth, byQuery, bySince)) {
            List<JsonNode> events = asked.awaitEvents("status", 2, WAIT);
            assertThat(events).extracting(args -> args.size()).containsExactly(2, 2);
            assertThat(events.get(1).get(1).asText()).matches("[0-9]+-[0-9a-z]+");
        }
    }

    /**
     * Issue #15 item 2: rooms the server assigns (identity rooms, another socket's id room) cannot be joined, and
     * joining one replays nothing of its history.
     */
    @Test
    void serverAssignedRoomsCannotBeJoinedNorReplayed() {
        start(McpSettings.defaults());
        List<String> assigned = List.of("user:bob", "agent:7", "session:s-1");
        for (String room : assigned) {
            server.namespace().to(room).emit("dm", Map.of("secret", room)); // kept in the room's history
        }
        NodeSocket attacker = connect(ClientOptions.defaults());
        NodeSocket victim = connect(ClientOptions.defaults());
        String victimId = victim.state().path("sid").asText();
        assertThat(victimId).isNotEmpty();
        int errors = 0;
        for (String room : List.of("user:bob", "agent:7", "session:s-1", victimId)) {
            JsonNode refused = ack(attacker, "join", Map.of("room", room, "since", "1-abc"));
            assertThat(refused.path("ok").asBoolean(true)).as(room).isFalse();
            assertThat(refused.path("code").asText()).as(room).isEqualTo("FORBIDDEN");
            JsonNode error = attacker.awaitServerEvent("error", x -> true, ++errors, WAIT).arg(0);
            assertThat(error.path("event").asText()).isEqualTo("join");
            assertThat(error.path("code").asText()).isEqualTo("FORBIDDEN");
        }
        for (String room : assigned) {
            server.namespace().to(room).emit("dm", Map.of("secret", room + " live"));
        }
        server.namespace().to(victimId).emit("dm", Map.of("secret", "to the victim"));
        victim.awaitEvent("dm", WAIT);
        server.namespace().emit("fence", 1);
        attacker.awaitEvent("fence", WAIT);
        assertThat(attacker.events("dm")).as("nothing replayed, nothing live").isEmpty();
        assertThat(ack(attacker, "join", "thread-1").path("ok").asBoolean()).as("other rooms still work").isTrue();
    }

    /** ROOM_PATTERNS tightens which rooms a client may join: others are FORBIDDEN, the socket keeps working. */
    @Test
    void operatorRoomPatternsLimitJoins() {
        server = NamespaceTestServer.start(McpNamespace.DEFINITION.with(McpSettings.defaults()),
                new dev.switchboard.socketio.RoomAccess(
                        dev.switchboard.socketio.RoomAccess.parsePatterns(List.of("project:*@/mcp"))));
        mcp = server.running();
        NodeSocket a = connect(ClientOptions.defaults());
        assertThat(ack(a, "join", "project:alpha").path("ok").asBoolean()).isTrue();
        JsonNode refused = ack(a, "join", "thread-1");
        assertThat(refused.path("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(refused.path("message").asText()).contains("not allowed on this server");
        server.namespace().to("project:alpha").emit("progress", 1);
        assertThat(a.awaitEvent("progress", WAIT).get(0).asInt()).isEqualTo(1);
    }

    @Test
    void badRoomNamesAndUnknownEventsGetErrors() {
        start(McpSettings.defaults());
        NodeSocket a = connect(ClientOptions.defaults());
        NodeSocket victim = connect(ClientOptions.defaults());
        Object[] bad = {"", "x".repeat(129), "line\nbreak", Map.of("room", 5), List.of("r"), Map.of()};
        int n = 0;
        for (Object room : bad) {
            JsonNode ack = ack(a, "join", room);
            assertThat(ack.path("ok").asBoolean(true)).as(String.valueOf(room)).isFalse();
            assertThat(ack.path("code").asText()).isEqualTo("BAD_REQUEST");
            JsonNode error = a.awaitServerEvent("error", x -> true, ++n, WAIT).arg(0);
            assertThat(error.path("event").asText()).isEqualTo("join");
        }
        // another client's private room (its socket id) cannot be joined
        String victimId = victim.state().path("sid").asText();
        assertThat(victimId).isNotEmpty();
        JsonNode steal = ack(a, "join", victimId);
        assertThat(steal.path("code").asText()).isEqualTo("FORBIDDEN");
        n++;

        JsonNode unknown = ack(a, "tool:call", Map.of("x", 1));
        assertThat(unknown.path("code").asText()).isEqualTo("UNKNOWN_EVENT");
        JsonNode error = a.awaitServerEvent("error", x -> true, ++n, WAIT).arg(0);
        assertThat(error.path("event").asText()).isEqualTo("tool:call");
        a.disconnect();
        victim.disconnect();
    }

    @Test
    void roomsPerSocketAreCapped() {
        McpSettings d = McpSettings.defaults();
        start(new McpSettings(null, null, d.queueCapacity(), d.queueMaxBytes(), d.maxAttempts(), d.initialBackoff(),
                d.requestTimeout(), 2, d.historySize(), d.historyMaxAge(), d.historyMaxBytes()));
        NodeSocket a = connect(ClientOptions.defaults());
        assertThat(ack(a, "join", "r1").path("ok").asBoolean()).isTrue();
        assertThat(ack(a, "join", "r2").path("ok").asBoolean()).isTrue();
        assertThat(ack(a, "join", "r2").path("ok").asBoolean()).as("joining again is idempotent").isTrue();
        JsonNode third = ack(a, "join", "r3");
        assertThat(third.path("code").asText()).isEqualTo("LIMIT_EXCEEDED");
        assertThat(ack(a, "leave", "r1").path("ok").asBoolean()).isTrue();
        assertThat(ack(a, "join", "r3").path("ok").asBoolean()).isTrue();
        assertThat(server.namespace().rooms()).containsOnlyKeys("r2", "r3");
        a.disconnect();
    }

    /**
     * ROOM_PATTERNS=* lets every client open fresh rooms (2000 connections per IP x MCP_MAX_ROOMS each): the rooms
     * of a namespace summed over its clients stay within MAX_ROOMS_PER_NAMESPACE. A new room beyond it is
     * LIMIT_EXCEEDED; rooms with members stay joinable and keep receiving; a room emptied (leave or disconnect)
     * frees its place.
     */
    @Test
    void roomsOpenedByAllClientsTogetherStayWithinTheNamespaceBound() {
        server = NamespaceTestServer.start(McpNamespace.DEFINITION.with(McpSettings.defaults()),
                dev.switchboard.socketio.RoomAccess.anyRoom().withMaxRooms(3));
        mcp = server.running();
        NodeSocket a = connect(ClientOptions.defaults());
        NodeSocket b = connect(ClientOptions.defaults());
        NodeSocket c = connect(ClientOptions.defaults());
        assertThat(ack(a, "join", "r1").path("ok").asBoolean()).isTrue();
        assertThat(ack(a, "join", "r2").path("ok").asBoolean()).isTrue();
        assertThat(ack(b, "join", "r3").path("ok").asBoolean()).isTrue();
        int refused = 0;
        for (int i = 0; i < 20; i++) { // every client, each well within its own MCP_MAX_ROOMS
            NodeSocket client = List.of(a, b, c).get(i % 3);
            JsonNode fresh = ack(client, "join", "fresh-" + i);
            if ("LIMIT_EXCEEDED".equals(fresh.path("code").asText())) {
                refused++;
                assertThat(fresh.path("message").asText()).contains("/mcp").contains("3 rooms");
            }
        }
        assertThat(refused).as("fresh rooms refused").isEqualTo(20);
        assertThat(server.namespace().rooms()).containsOnlyKeys("r1", "r2", "r3");
        JsonNode error = c.awaitEvent("error", WAIT).get(0);
        assertThat(error.path("code").asText()).isEqualTo("LIMIT_EXCEEDED");

        assertThat(ack(c, "join", "r1").path("ok").asBoolean()).as("a room with members stays joinable").isTrue();
        server.namespace().to("r1").emit("progress", 1);
        assertThat(a.awaitEvent("progress", WAIT).get(0).asInt()).as("existing members keep receiving").isEqualTo(1);
        assertThat(c.awaitEvent("progress", WAIT).get(0).asInt()).isEqualTo(1);

        assertThat(ack(a, "leave", "r2").path("ok").asBoolean()).isTrue();
        assertThat(ack(c, "join", "r4").path("ok").asBoolean()).as("a room emptied by leave frees its place").isTrue();
        b.disconnect();
        Await.until(() -> !server.namespace().rooms().containsKey("r3"), WAIT, "b's room to empty");
        assertThat(ack(c, "join", "r5").path("ok").asBoolean()).as("and one emptied by a disconnect").isTrue();
        assertThat(server.namespace().rooms()).containsOnlyKeys("r1", "r4", "r5");
        a.disconnect();
        c.disconnect();
    }

    @Test
    void otherEventsAreForwardedToTheWebhookWithRetry() throws IOException {
        List<JsonNode> received = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/events", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            int status = calls.incrementAndGet() == 1 ? 503 : 204; // the first try fails: the forwarder retries
            synchronized (received) {
                received.add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        webhook.start();
        URI url = URI.create("http://127.0.0.1:" + webhook.getAddress().getPort() + "/events");
        start(McpSettings.defaults().withForwardUrl(url));

        NodeSocket socket = connect(ClientOptions.defaults().query(Map.of("threadId", "t-9", "userId", "u-1")));
        assertThat(socket.awaitEvent("connected", WAIT).get(0).path("forwarding").asBoolean()).isTrue();
        JsonNode ack = ack(socket, "tool:result", Map.of("callId", "c1", "value", 42));
        assertThat(ack.path("ok").asBoolean()).isTrue();

        Await.until(() -> mcp.forwardingStats().get("delivered") == 1, WAIT, "event delivered to the webhook");
        assertThat(mcp.forwardingStats().get("retries")).isEqualTo(1);
        synchronized (received) {
            assertThat(received).hasSize(2);
            assertThat(received.get(1)).isEqualTo(received.get(0)); // the retry sends the same body
            JsonNode envelope = received.get(1);
            assertThat(envelope.path("namespace").asText()).isEqualTo("/mcp");
            assertThat(envelope.path("socketId").asText()).isNotEmpty();
            assertThat(envelope.path("event").asText()).isEqualTo("tool:result");
            assertThat(envelope.path("args").get(0).path("callId").asText()).isEqualTo("c1");
            assertThat(envelope.path("args").get(0).path("value").asInt()).isEqualTo(42);
            assertThat(envelope.path("query").path("threadId").asText()).isEqualTo("t-9");
            assertThat(envelope.path("query").path("userId").asText()).isEqualTo("u-1");
            assertThat(envelope.path("query").has("EIO")).isFalse();
            assertThat(envelope.path("query").has("transport")).isFalse();
            assertThat(envelope.path("timestamp").asLong()).isPositive();
        }
        socket.disconnect();
    }
}
