package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.Cleanup;

/**
 * The official @socket.io/redis-emitter 5.1.0 from npm, run by Node exactly as an existing backend would,
 * reaches Switchboard clients on two nodes: rooms, except, binary, and its socketsJoin / disconnectSockets
 * requests. Default prefix "socket.io", as the emitter's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisEmitterInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RedisServer redis;
    private static NodeClientDriver driver;
    private static ClusterNode a;
    private static ClusterNode b;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        RedisSettings settings = RedisSettings.defaults().withUrl(redis.url());
        a = new ClusterNode(settings, "/mcp").awaitHealthy(WAIT);
        b = new ClusterNode(settings, "/mcp").awaitHealthy(WAIT);
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(driver, a, b, redis);
    }

    private static NodeSocket connect(ClusterNode node) {
        return node.connect(driver, "/mcp", WAIT);
    }

    private static ObjectNode spec(ObjectNode... ops) {
        ObjectNode spec = NodeScripts.JSON.createObjectNode().put("url", redis.url()).put("key", "socket.io");
        ArrayNode list = spec.putArray("ops");
        for (ObjectNode op : ops) {
            list.add(op);
        }
        return spec;
    }

    private static ObjectNode op(String op, List<String> to, List<String> except) {
        ObjectNode node = NodeScripts.JSON.createObjectNode().put("op", op).put("nsp", "/mcp");
        node.set("to", NodeScripts.JSON.valueToTree(to));
        node.set("except", NodeScripts.JSON.valueToTree(except));
        return node;
    }

    @Test
    void emitterEmitsToARoomExceptARoomOnEveryNodeWithBinary() {
        NodeSocket a1 = connect(a);
        NodeSocket a2 = connect(a);
        NodeSocket b1 = connect(b);
        NodeSocket b2 = connect(b);
        for (NodeSocket s : List.of(a1, a2, b1)) {
            s.emitWithAck("join", WAIT, "thread-7");
        }
        a2.emitWithAck("join", WAIT, "muted");

        ObjectNode emit = op("emit", List.of("thread-7"), List.of("muted")).put("event", "update");
        ArrayNode args = emit.putArray("args");
        args.addObject().put("status", "done").put("count", 3).putNull("none");
        args.addObject().put("$binary", Base64.getEncoder().encodeToString(new byte[]{9, 8, 7}));
        ObjectNode all = op("emit", List.of(), List.of()).put("event", "everyone");
        all.putArray("args").add(1.5).add("x");
        NodeScripts.emit(spec(emit, all));

        for (NodeSocket s : List.of(a1, b1)) {
            JsonNode received = s.awaitEvent("update", WAIT);
            assertThat(received.get(0).toString()).isEqualTo("{\"status\":\"done\",\"count\":3,\"none\":null}");
            assertThat(Base64.getDecoder().decode(received.get(1).path("$binary").asText())).containsExactly(9, 8, 7);
        }
        for (NodeSocket s : List.of(a1, a2, b1, b2)) {
            assertThat(s.awaitEvent("everyone", WAIT).toString()).isEqualTo("[1.5,\"x\"]");
        }
        a2.assertNoEvent("update", Duration.ofMillis(500));
        b2.assertNoEvent("update", Duration.ZERO);
        for (NodeSocket s : List.of(a1, a2, b1, b2)) {
            s.disconnect();
        }
    }

    /** notepack.io 3 writes a Date as MessagePack's timestamp (32, 64 or 96 bit, by range and precision). */
    @Test
    void emitterDatesReachClientsAsJavaScriptsIsoStrings() {
        NodeSocket a1 = connect(a);
        NodeSocket b1 = connect(b);
        ObjectNode emit = op("emit", List.of(), List.of()).put("event", "dates");
        ArrayNode args = emit.putArray("args");
        for (long millis : new long[] {1_765_000_000_000L, 1_765_000_000_123L, -1_234_567L, 253_402_300_800_000L}) {
            args.addObject().put("$date", millis);
        }
        args.addObject().putObject("at").put("$date", 0L);
        NodeScripts.emit(spec(emit));

        for (NodeSocket s : List.of(a1, b1)) {
            assertThat(s.awaitEvent("dates", WAIT).toString()).isEqualTo("[\"2025-12-06T05:46:40.000Z\","
                    + "\"2025-12-06T05:46:40.123Z\",\"1969-12-31T23:39:25.433Z\",\"+010000-01-01T00:00:00.000Z\","
                    + "{\"at\":\"1970-01-01T00:00:00.000Z\"}]");
        }
        a1.disconnect();
        b1.disconnect();
    }

    @Test
    void emitterSocketsJoinAndDisconnectSocketsApplyOnEveryNode() {
        NodeSocket a1 = connect(a);
        NodeSocket b1 = connect(b);
        String a1Id = a1.awaitConnect(WAIT).path("sid").asText();
        String b1Id = b1.awaitConnect(WAIT).path("sid").asText();

        ObjectNode join = op("socketsJoin", List.of(), List.of());
        join.putArray("rooms").add("joined-by-emitter").add("second");
        NodeScripts.emit(spec(join));
        Await.until(() -> a.socket("/mcp", a1Id).rooms().contains("joined-by-emitter")
                && b.socket("/mcp", b1Id).rooms().containsAll(List.of("joined-by-emitter", "second")),
                WAIT, "both sockets joined through the emitter");

        ObjectNode leave = op("socketsLeave", List.of(b1Id), List.of());
        leave.putArray("rooms").add("second");
        NodeScripts.emit(spec(leave));
        Await.until(() -> !b.socket("/mcp", b1Id).rooms().contains("second"), WAIT, "b1 left 'second'");

        NodeScripts.emit(spec(op("disconnectSockets", List.of("joined-by-emitter"), List.of(b1Id)).put("close", false)));
        assertThat(a1.awaitDisconnect(WAIT)).isEqualTo("io server disconnect");
        b1.assertNoEvent("nothing", Duration.ofMillis(500));
        assertThat(b.socket("/mcp", b1Id).connected()).isTrue();
        b1.disconnect();
    }
}
