package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/** Three Switchboard nodes (three SocketIoServers, three RedisClusters) on one real redis-server, real Node clients. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisClusterIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(700);
    private static final String PREFIX = "sbtest";

    private static RedisServer redis;
    private static NodeClientDriver driver;
    private static ClusterNode a;
    private static ClusterNode b;
    private static ClusterNode c;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        RedisSettings settings = RedisSettings.defaults().withUrl(redis.url()).withPrefix(PREFIX)
                .withHeartbeatInterval(Duration.ofMillis(300));
        a = new ClusterNode(settings, "/mcp", "/ops", "/count").awaitHealthy(WAIT);
        b = new ClusterNode(settings, "/mcp", "/ops", "/count").awaitHealthy(WAIT);
        c = new ClusterNode(settings, "/mcp", "/ops", "/count").awaitHealthy(WAIT);
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[]{driver, a, b, c, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    private static NodeSocket connect(ClusterNode node, String nsp) {
        NodeSocket socket = driver.connect(node.url(), nsp, ClientOptions.defaults().transports("websocket").reconnection(false));
        socket.awaitConnect(WAIT);
        return socket;
    }

    private static String sid(NodeSocket socket) {
        return socket.awaitConnect(WAIT).path("sid").asText();
    }

    private static void join(NodeSocket socket, String room) {
        assertThat(socket.emitWithAck("join", WAIT, room).get(0).asText()).isEqualTo("joined");
    }

    @Test
    void broadcastFromOneNodeReachesClientsOfTheOthersHonouringRoomsAndExcept() {
        NodeSocket a1 = connect(a, "/mcp");
        NodeSocket a2 = connect(a, "/mcp");
        NodeSocket b1 = connect(b, "/mcp");
        NodeSocket c1 = connect(c, "/mcp");
        join(a1, "thread-1");
        join(a2, "thread-1");
        join(a2, "muted");
        join(b1, "thread-1");

        // one room, except a room: the emitter-style one-room channel
        int local = b.ns("/mcp").to("thread-1").except("muted").emit("news", Map.of("n", 1));
        assertThat(local).isEqualTo(1); // b1, on B itself
        assertThat(a1.awaitEvent("news", WAIT).get(0).path("n").asInt()).isEqualTo(1);
        assertThat(b1.awaitEvent("news", WAIT).get(0).path("n").asInt()).isEqualTo(1);
        a2.assertNoEvent("news", QUIET);
        c1.assertNoEvent("news", Duration.ZERO);

        // whole namespace, with binary, from C
        byte[] bytes = {1, 2, 3, (byte) 0xff};
        c.ns("/mcp").emit("all", "text", bytes);
        for (NodeSocket s : List.of(a1, a2, b1, c1)) {
            JsonNode args = s.awaitEvent("all", WAIT);
            assertThat(args.get(0).asText()).isEqualTo("text");
            assertThat(Base64.getDecoder().decode(args.get(1).path("$binary").asText())).isEqualTo(bytes);
        }

        // two rooms: the namespace channel, deduplicated per socket
        join(c1, "thread-2");
        a.ns("/mcp").to("thread-1", "thread-2").emit("two", 2);
        for (NodeSocket s : List.of(a1, a2, b1, c1)) {
            assertThat(s.awaitEvents("two", 1, WAIT)).hasSize(1);
        }
        // a socket's own broadcast operator excludes itself on every node
        b.socket("/mcp", sid(b1)).to("thread-1").emit("from-b1", true);
        a1.awaitEvent("from-b1", WAIT);
        a2.awaitEvent("from-b1", WAIT);
        b1.assertNoEvent("from-b1", QUIET);
        for (NodeSocket s : List.of(a1, a2, b1, c1)) {
            assertThat(s.events("two")).hasSize(1);
            s.disconnect();
        }
    }

    @Test
    void remoteJoinLeaveAndDisconnectReachSocketsOnOtherNodes() {
        NodeSocket a1 = connect(a, "/ops");
        NodeSocket c1 = connect(c, "/ops");
        String a1Id = sid(a1);

        assertThat(b.cluster.operations().remoteJoin("/ops", a1Id, "vip")).succeedsWithin(WAIT).isEqualTo(true);
        Await.until(() -> a.socket("/ops", a1Id).rooms().contains("vip"), WAIT, "a1 joined vip on node A");
        b.ns("/ops").to("vip").emit("vip-news", "hello");
        assertThat(a1.awaitEvent("vip-news", WAIT).get(0).asText()).isEqualTo("hello");
        c1.assertNoEvent("vip-news", QUIET);

        b.cluster.operations().remoteLeave("/ops", a1Id, "vip").join();
        Await.until(() -> !a.socket("/ops", a1Id).rooms().contains("vip"), WAIT, "a1 left vip on node A");

        // selector form: every socket of /ops except a1 joins "rest", on their own nodes
        b.cluster.operations().socketsJoin("/ops", Set.of(), Set.of(a1Id), List.of("rest")).join();
        String c1Id = sid(c1);
        Await.until(() -> c.socket("/ops", c1Id).rooms().contains("rest"), WAIT, "c1 joined rest on node C");
        assertThat(a.socket("/ops", a1Id).rooms()).doesNotContain("rest");

        b.cluster.operations().remoteDisconnect("/ops", a1Id, false).join();
        assertThat(a1.awaitDisconnect(WAIT)).isEqualTo("io server disconnect");
        Await.until(() -> "server namespace disconnect".equals(a.disconnectReasons.get(a1Id)), WAIT,
                "disconnect handler ran on node A");
        c1.assertNoEvent("never", Duration.ZERO);
        assertThat(c.socket("/ops", c1Id).connected()).isTrue();
        c1.disconnect();
    }

    @Test
    void socketAndRoomCountsAgreeOnEveryNodeAndFollowDisconnects() {
        NodeSocket a1 = connect(a, "/count");
        NodeSocket a2 = connect(a, "/count");
        NodeSocket b1 = connect(b, "/count");
        join(a1, "t1");
        join(b1, "t1");
        join(b1, "t2");

        for (ClusterNode node : List.of(a, b, c)) {
            Await.until(() -> node.cluster.view().connections("/count") == 3
                            && node.cluster.view().rooms("/count").equals(Map.of("t1", 2L, "t2", 1L)),
                    WAIT, "node " + node.cluster.nodeId() + " sees 3 sockets and rooms t1=2 t2=1");
            assertThat(node.cluster.view().nodes()).contains(a.cluster.nodeId(), b.cluster.nodeId(), c.cluster.nodeId());
        }
        assertThat(c.cluster.view().connections(List.of("/count", "/")))
                .containsEntry("/count", 3L).containsEntry("/", 0L);

        b1.disconnect();
        a2.disconnect();
        for (ClusterNode node : List.of(a, b, c)) {
            Await.until(() -> node.cluster.view().connections("/count") == 1
                            && node.cluster.view().rooms("/count").equals(Map.of("t1", 1L)),
                    WAIT, "node " + node.cluster.nodeId() + " sees 1 socket and t1=1");
        }
        a1.disconnect();
        Await.until(() -> redis.commands().keys(PREFIX + "-switchboard#node#*#/count").isEmpty(), WAIT,
                "no per-node state left for an empty namespace");
    }

    @Test
    void malformedMessagesOnClusterChannelsAreDroppedAndCountedWithoutDisturbingDelivery() {
        NodeSocket a1 = connect(a, "/mcp");
        join(a1, "bad-input");
        var adapter = (RedisAdapter) a.ns("/mcp").adapter();
        long before = adapter.rejectedMessages();

        redis.commands().publish(PREFIX + "#/mcp#", "not msgpack \u00c1");
        redis.commands().publish(PREFIX + "-request#/mcp#", "{not json");
        redis.commands().publish(PREFIX + "-request#/mcp#", "{\"type\":\"two\"}");
        redis.commands().publish(PREFIX + "-request#/mcp#", "{\"type\":2,\"opts\":{\"rooms\":\"bad-input\"},\"rooms\":[\"x\"]}");
        Await.until(() -> adapter.rejectedMessages() - before >= 4, WAIT, "4 malformed messages rejected");

        b.ns("/mcp").to("bad-input").emit("still-works", 1);
        a1.awaitEvent("still-works", WAIT);
        a1.disconnect();
    }

    @Test
    void everyKeyANodeWritesExpiresAndACleanCloseRemovesThem() {
        RedisSettings settings = RedisSettings.defaults().withUrl(redis.url()).withPrefix("sbclean")
                .withHeartbeatInterval(Duration.ofMillis(300));
        try (ClusterNode x = new ClusterNode(settings, "/mcp").awaitHealthy(WAIT)) {
            NodeSocket s = connect(x, "/mcp");
            join(s, "room-1");
            Await.until(() -> redis.commands().keys("sbclean*").size() == 2, WAIT, "nodes set and one node hash");
            for (String key : redis.commands().keys("sbclean*")) {
                long ttl = redis.commands().pttl(key);
                assertThat(ttl).as("TTL of " + key).isBetween(1L, settings.nodeTtl().plus(settings.heartbeatInterval()).toMillis());
            }
            s.disconnect();
        }
        assertThat(redis.commands().keys("sbclean*")).isEmpty();
    }
}
