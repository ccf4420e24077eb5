package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * A Switchboard node and a Node socket.io 4.8 server on @socket.io/redis-adapter 8.3 share one Redis (prefix
 * "socket.io"): broadcasts both ways, the Node server's fetchSockets / allRooms / serverCount answered by
 * Switchboard, socketsJoin from Node applied on Switchboard and ClusterOperations applied on Node.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeAdapterMixTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RedisServer redis;
    private static NodeClientDriver driver;
    private static ClusterNode sb;
    private static NodeScripts.NodePeer peer;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        sb = new ClusterNode(RedisSettings.defaults().withUrl(redis.url()), "/mcp").awaitHealthy(WAIT);
        peer = new NodeScripts.NodePeer(redis.url(), "socket.io");
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[]{driver, peer, sb, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    private static NodeSocket connect(String url) {
        NodeSocket socket = driver.connect(url, "/mcp", ClientOptions.defaults().reconnection(false));
        socket.awaitConnect(WAIT);
        return socket;
    }

    private static ObjectNode command(String op) {
        return NodeScripts.JSON.createObjectNode().put("op", op).put("nsp", "/mcp");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isObject() ? n.path("id").asText() : n.asText()));
        return out;
    }

    @Test
    void broadcastsRequestsAndQueriesWorkBothWays() {
        NodeSocket onSb = connect(sb.url());
        NodeSocket onNode = connect(peer.url());
        NodeSocket onSbOutside = connect(sb.url());
        String sbId = onSb.awaitConnect(WAIT).path("sid").asText();
        String nodeId = onNode.awaitConnect(WAIT).path("sid").asText();
        onSb.emitWithAck("join", WAIT, "mix");
        onNode.emitWithAck("join", WAIT, "mix");

        // Node server -> Switchboard clients
        ObjectNode emit = command("emit").put("event", "from-node");
        emit.putArray("to").add("mix");
        emit.putArray("args").add("hello").addObject().put("k", 1);
        peer.request(emit);
        assertThat(onSb.awaitEvent("from-node", WAIT).toString()).isEqualTo("[\"hello\",{\"k\":1}]");
        assertThat(onNode.awaitEvent("from-node", WAIT).toString()).isEqualTo("[\"hello\",{\"k\":1}]");

        // Switchboard -> Node server's clients, binary included
        sb.ns("/mcp").to("mix").emit("from-sb", Map.of("n", 2), new byte[]{1, 2});
        JsonNode atNode = onNode.awaitEvent("from-sb", WAIT);
        assertThat(atNode.get(0).path("n").asInt()).isEqualTo(2);
        assertThat(atNode.get(1).path("$binary").asText()).isEqualTo("AQI=");
        onSb.awaitEvent("from-sb", WAIT);
        onSbOutside.assertNoEvent("from-node", Duration.ofMillis(300));
        onSbOutside.assertNoEvent("from-sb", Duration.ZERO);

        // the Node server's cluster queries count the Switchboard node in and get its answers
        assertThat(peer.request(command("serverCount")).path("count").asInt()).isEqualTo(2);
        ObjectNode fetch = command("fetchSockets");
        fetch.putArray("to").add("mix");
        assertThat(texts(peer.request(fetch).path("sockets"))).containsExactlyInAnyOrder(sbId, nodeId);
        assertThat(texts(peer.request(command("allRooms")).path("rooms"))).contains("mix", sbId, nodeId);

        // Node socketsJoin reaches the Switchboard socket; Switchboard's remoteJoin reaches the Node socket
        ObjectNode join = command("socketsJoin");
        join.putArray("to").add("mix");
        join.putArray("rooms").add("from-node-join");
        peer.request(join);
        Await.until(() -> sb.socket("/mcp", sbId).rooms().contains("from-node-join"), WAIT, "Node's socketsJoin on Switchboard");

        sb.cluster.operations().remoteJoin("/mcp", nodeId, "from-sb-join").join();
        Await.until(() -> texts(peer.request(command("rooms").put("sid", nodeId)).path("rooms")).contains("from-sb-join"),
                WAIT, "Switchboard's remoteJoin on the Node server");

        for (NodeSocket s : List.of(onSb, onNode, onSbOutside)) {
            s.disconnect();
        }
    }
}
