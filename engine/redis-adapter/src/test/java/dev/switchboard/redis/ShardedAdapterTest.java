package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.redis.RedisSettings.AdapterMode;
import dev.switchboard.redis.RedisSettings.SubscriptionMode;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * REDIS_ADAPTER=sharded on a real Redis Cluster (3 masters + 3 replicas): Switchboard nodes share rooms with each
 * other and with a Node socket.io server on {@code createShardedAdapter} (dynamic subscriptions), through the real
 * socket.io-client; a room with members on one node only costs the other nodes nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShardedAdapterTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RedisClusterServer redis;
    private static NodeClientDriver driver;
    private static final List<AutoCloseable> nodes = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = RedisClusterServer.start();
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stop() {
        List<AutoCloseable> all = new ArrayList<>(nodes);
        all.add(driver);
        all.add(redis);
        for (AutoCloseable closeable : all) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    static RedisSettings sharded(String seedUrl, SubscriptionMode mode) {
        return RedisSettings.defaults().withAdapter(AdapterMode.SHARDED, mode).withUrl(seedUrl)
                .withHeartbeatInterval(Duration.ofSeconds(1));
    }

    private static ClusterNode node() {
        ClusterNode node = new ClusterNode(sharded(redis.seedUrl(), SubscriptionMode.DYNAMIC), "/mcp");
        nodes.add(node);
        return node.awaitHealthy(WAIT);
    }

    /** Joins through the real client, then waits until the room's channel is subscribed on its master. */
    private static void join(NodeSocket socket, ClusterNode on, String room) {
        socket.emitWithAck("join", WAIT, room);
        Await.until(on.cluster::subscriptionsPlaced, WAIT, "room " + room + " subscribed on its shard");
    }

    @Test
    void switchboardNodesShareRoomsOverTheCluster() {
        ClusterNode a = node();
        ClusterNode b = node();
        NodeSocket onA = a.connect(driver, "/mcp", WAIT);
        NodeSocket onB = b.connect(driver, "/mcp", WAIT);
        NodeSocket outside = b.connect(driver, "/mcp", WAIT);
        join(onA, a, "jj-room");
        join(onB, b, "jj-room");

        a.ns("/mcp").to("jj-room").emit("to-room", Map.of("n", 1), new byte[]{1, 2});
        JsonNode atB = onB.awaitEvent("to-room", WAIT);
        assertThat(atB.get(0).path("n").asInt()).isEqualTo(1);
        assertThat(atB.get(1).path("$binary").asText()).isEqualTo("AQI=");
        onA.awaitEvent("to-room", WAIT);

        b.ns("/mcp").emit("to-all", "x"); // namespace channel
        onA.awaitEvent("to-all", WAIT);
        outside.awaitEvent("to-all", WAIT);
        outside.assertNoEvent("to-room", Duration.ZERO);

        String outsideId = outside.awaitConnect(WAIT).path("sid").asText();
        a.cluster.operations().remoteJoin("/mcp", outsideId, "joined-remotely").join();
        Await.until(() -> b.socket("/mcp", outsideId).rooms().contains("joined-remotely"), WAIT,
                "remoteJoin from node a applied on node b");
        Await.until(() -> a.cluster.view().connections("/mcp") == 3, WAIT, "cluster counts over the hash-tagged state");
        for (NodeSocket s : List.of(onA, onB, outside)) {
            s.disconnect();
        }
    }

    @Test
    void switchboardAndNodeShareRoomsOverTheCluster() {
        ClusterNode sb = node();
        try (NodeScripts.NodePeer peer = NodeScripts.NodePeer.sharded(redis.seedUrl(), "socket.io", "dynamic")) {
            NodeSocket onSb = sb.connect(driver, "/mcp", WAIT);
            NodeSocket onNode = driver.connect(peer.url(), "/mcp",
                    dev.switchboard.testkit.ClientOptions.defaults().reconnection(false));
            String sbId = onSb.awaitConnect(WAIT).path("sid").asText();
            String nodeId = onNode.awaitConnect(WAIT).path("sid").asText();
            join(onSb, sb, "mix-room");
            onNode.emitWithAck("join", WAIT, "mix-room");
            Await.until(() -> channelSubscribers("socket.io#/mcp#mix-room#") == 2, WAIT,
                    "both servers subscribed to the room's shard channel");

            ObjectNode emit = command("emit").put("event", "from-node");
            emit.putArray("to").add("mix-room");
            emit.putArray("args").add("hello").addObject().put("k", 1);
            peer.request(emit);
            assertThat(onSb.awaitEvent("from-node", WAIT).toString()).isEqualTo("[\"hello\",{\"k\":1}]");

            sb.ns("/mcp").to("mix-room").emit("from-sb", Map.of("n", 2), new byte[]{1, 2});
            JsonNode atNode = onNode.awaitEvent("from-sb", WAIT);
            assertThat(atNode.get(0).path("n").asInt()).isEqualTo(2);
            assertThat(atNode.get(1).path("$binary").asText()).isEqualTo("AQI=");

            sb.ns("/mcp").emit("sb-to-all", 3); // namespace channel, the other way
            assertThat(onNode.awaitEvent("sb-to-all", WAIT).get(0).asInt()).isEqualTo(3);

            assertThat(peer.request(command("serverCount")).path("count").asInt()).isGreaterThanOrEqualTo(2);
            ObjectNode fetch = command("fetchSockets");
            fetch.putArray("to").add("mix-room");
            assertThat(ids(peer.request(fetch).path("sockets"))).containsExactlyInAnyOrder(sbId, nodeId);

            ObjectNode join = command("socketsJoin");
            join.putArray("to").add("mix-room");
            join.putArray("rooms").add("from-node-join");
            peer.request(join);
            Await.until(() -> sb.socket("/mcp", sbId).rooms().contains("from-node-join"), WAIT,
                    "Node's socketsJoin on Switchboard");
            sb.cluster.operations().remoteJoin("/mcp", nodeId, "from-sb-join").join();
            Await.until(() -> ids(peer.request(command("rooms").put("sid", nodeId)).path("rooms")).contains("from-sb-join"),
                    WAIT, "Switchboard's remoteJoin on the Node server");
            onSb.disconnect();
            onNode.disconnect();
        }
    }

    @Test
    void aRoomWithMembersOnOneNodeWakesOnlyThatNode() {
        ClusterNode member = node();
        ClusterNode sender = node();
        ClusterNode idle = node();
        NodeSocket client = member.connect(driver, "/mcp", WAIT);
        join(client, member, "solo-room");
        Await.until(() -> sender.cluster.subscriptionsPlaced() && idle.cluster.subscriptionsPlaced(), WAIT, "all placed");
        long[] before = {member.cluster.messagesReceived(), sender.cluster.messagesReceived(), idle.cluster.messagesReceived()};

        int broadcasts = 50;
        for (int i = 0; i < broadcasts; i++) {
            sender.ns("/mcp").to("solo-room").emit("solo", i);
        }
        client.awaitEvents("solo", broadcasts, WAIT);
        assertThat(member.cluster.messagesReceived() - before[0]).isEqualTo(broadcasts);
        assertThat(sender.cluster.messagesReceived() - before[1]).as("the sender").isZero();
        assertThat(idle.cluster.messagesReceived() - before[2]).as("a node without members").isZero();
        client.disconnect();
        Await.until(() -> channelSubscribers("socket.io#/mcp#solo-room#") == 0, WAIT,
                "the room's channel unsubscribed once its last member left");
    }

    @Test
    void theRelayChannelWorksOnTheClusterToo() {
        ClusterNode relayed = new ClusterNode(sharded(redis.seedUrl(), SubscriptionMode.DYNAMIC)
                .withRelayChannel("sb-relay"), "/mcp");
        nodes.add(relayed);
        relayed.awaitHealthy(WAIT);
        RedisRelay relay = relayed.cluster.startRelay(relayed.io).orElseThrow();
        NodeSocket client = relayed.connect(driver, "/mcp", WAIT);
        join(client, relayed, "relay-room");
        int anyNode = redis.livePorts().get(0); // classic PUBLISH reaches every node of a cluster
        String message = "{\"namespace\":\"/mcp\",\"room\":\"relay-room\",\"event\":\"relayed\",\"data\":7}";
        Await.until(() -> {
            redis.cli(anyNode, "PUBLISH", "sb-relay", message); // again until the subscription is in place
            return !client.events("relayed").isEmpty();
        }, WAIT, "a relayed message through the cluster");
        assertThat(client.events("relayed").get(0).toString()).isEqualTo("[7]");
        relay.close();
        client.disconnect();
    }

    @Test
    void malformedShardMessagesAreDroppedAndCountedWithoutDisturbingDelivery() {
        ClusterNode a = node();
        ClusterNode b = node();
        NodeSocket onA = a.connect(driver, "/mcp", WAIT);
        join(onA, a, "bad-shard-input");
        var adapter = (RedisAdapter) a.ns("/mcp").adapter();
        long before = adapter.rejectedMessages();
        String main = "socket.io#/mcp#";
        String room = "socket.io#/mcp#bad-shard-input#";
        List<String[]> bad = List.of(
                new String[]{main, "not msgpack \u00c1"},
                new String[]{main, "{not json"},
                new String[]{main, "{\"uid\":\"x\",\"nsp\":\"/mcp\",\"type\":\"three\"}"},
                new String[]{main, "{\"uid\":\"x\",\"nsp\":\"/mcp\",\"type\":3,\"data\":[]}"},
                new String[]{room, "{\"uid\":\"x\",\"nsp\":\"/mcp\",\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[]}}}"},
                new String[]{room, "{\"uid\":\"x\",\"nsp\":\"/other\",\"type\":3,\"data\":{}}"},
                new String[]{main, "{\"uid\":\"x\",\"nsp\":\"/mcp\",\"type\":4,\"data\":{\"opts\":{\"rooms\":\"r\"},\"rooms\":[\"y\"]}}"});
        for (String[] message : bad) {
            redis.cli(redis.masterOf(message[0]), "SPUBLISH", message[0], message[1]);
        }
        Await.until(() -> adapter.rejectedMessages() - before >= bad.size(), WAIT, bad.size() + " malformed messages rejected");

        b.ns("/mcp").to("bad-shard-input").emit("still-works", 1);
        onA.awaitEvent("still-works", WAIT);
        assertThat(onA.lifecycle("disconnect")).isEmpty();
        onA.disconnect();
    }

    /**
     * Dynamic subscriptions follow the rooms exactly through join/leave churn (join, leave, join again without
     * waiting for Redis) and disconnects: one channel per room with members here, none once they are gone.
     */
    @Test
    void roomChannelsFollowTheRoomsThroughChurnAndDisconnects() {
        ClusterNode a = node();
        NodeSocket churner = a.connect(driver, "/mcp", WAIT);
        NodeSocket leaver = a.connect(driver, "/mcp", WAIT);
        int rooms = 40;
        for (int i = 0; i < rooms; i++) {
            churner.emitWithAck("join", WAIT, "churn13-" + i);
            churner.emitWithAck("leave", WAIT, "churn13-" + i);
            if (i % 2 == 0) {
                churner.emitWithAck("join", WAIT, "churn13-" + i);
            }
            leaver.emitWithAck("join", WAIT, "churn13-gone-" + i);
        }
        leaver.disconnect();
        Await.until(() -> a.cluster.subscriptionsPlaced() && roomChannels("socket.io#/mcp#churn13-*") == rooms / 2,
                WAIT, "one channel per room still with a member");
        assertThat(roomChannels("socket.io#/mcp#churn13-gone-*")).as("the disconnected socket's rooms").isZero();
        churner.disconnect();
        Await.until(() -> roomChannels("socket.io#/mcp#churn13-*") == 0, WAIT, "no room channel left");
    }

    /** Shard channels matching {@code pattern} with a subscriber, over every master. */
    static long roomChannels(String pattern) {
        long n = 0;
        for (int port : redis.masters()) {
            String out = redis.cli(port, "PUBSUB", "SHARDCHANNELS", pattern).trim();
            n += out.isEmpty() ? 0 : out.split("\n").length;
        }
        return n;
    }

    /** PUBSUB SHARDNUMSUB on the channel's master (sharded subscriptions live on their shard only). */
    static long channelSubscribers(String channel) {
        String out = redis.cli(redis.masterOf(channel), "PUBSUB", "SHARDNUMSUB", channel);
        String[] lines = out.trim().split("\n");
        return lines.length < 2 ? -1 : Long.parseLong(lines[1].trim());
    }

    private static ObjectNode command(String op) {
        return NodeScripts.JSON.createObjectNode().put("op", op).put("nsp", "/mcp");
    }

    private static List<String> ids(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isObject() ? n.path("id").asText() : n.asText()));
        return out;
    }

    static Set<String> rooms(ClusterNode node, String sid) {
        return node.socket("/mcp", sid).rooms();
    }
}
