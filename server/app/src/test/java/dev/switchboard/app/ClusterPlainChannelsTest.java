package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.Cleanup;
import dev.switchboard.testkit.RawWebSocket;

/**
 * Plain /ws channels with Redis scale-out: two app nodes on one real redis-server. A POST /emit on node B reaches
 * the plain subscribers on node A, once each, also of a room no Socket.IO socket on A is in (the Redis adapter must
 * not skip it), and still reaches the Socket.IO members on both nodes; a plain publish on A reaches node B's
 * plain and Socket.IO subscribers.
 */
class ClusterPlainChannelsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static TwoNodeCluster cluster;
    private static SwitchboardServer nodeA;
    private static SwitchboardServer nodeB;
    private static NodeClientDriver driver;
    private static NodeSocket mixedMemberOnA;
    private static NodeSocket plainOnlyMemberOnB;
    private static final List<RawWebSocket> plainClients = new ArrayList<>();

    @BeforeAll
    static void start() {
        cluster = TwoNodeCluster.start(Map.of("WS_CHANNELS", "rooms/{room}=/chat:{room}:public:public"));
        nodeA = cluster.nodeA();
        nodeB = cluster.nodeB();
        driver = NodeClientDriver.start();
        // "mixed" has a Socket.IO member on A; "plain-only" has none on A (only plain subscribers there)
        mixedMemberOnA = driver.connect(TestServers.url(nodeA), "/chat", ClientOptions.defaults());
        plainOnlyMemberOnB = driver.connect(TestServers.url(nodeB), "/chat", ClientOptions.defaults());
        mixedMemberOnA.awaitConnect(WAIT);
        plainOnlyMemberOnB.awaitConnect(WAIT);
        mixedMemberOnA.emitWithAck("join", WAIT, "mixed");
        plainOnlyMemberOnB.emitWithAck("join", WAIT, "plain-only");
        // the tests start on a connected cluster: each direction has delivered once
        TwoNodeCluster.emitUntilReceived(nodeB, emit("mixed", "warm-up", "0"), mixedMemberOnA, "warm-up");
        TwoNodeCluster.emitUntilReceived(nodeA, emit("plain-only", "warm-up", "0"), plainOnlyMemberOnB, "warm-up");
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(plainClients.toArray(AutoCloseable[]::new));
        Cleanup.closeAll(driver, cluster);
    }

    @Test
    void emitOnNodeBReachesPlainSubscribersOnNodeAOfARoomWithNoSocketIoMemberThere() throws Exception {
        RawWebSocket plainOnA = subscribe(nodeA, "rooms/plain-only");

        Http.emit(nodeB, emit("plain-only", "deployed", "{\"build\":42}"));
        Http.emit(nodeB, emit("plain-only", "marker", "1")); // same Redis channel, so it arrives after "deployed"

        JsonNode event = plainOnA.takeJson(m -> "deployed".equals(m.path("event").asText()), WAIT);
        assertThat(event.path("channel").asText()).isEqualTo("rooms/plain-only");
        assertThat(event.path("data").path("build").asInt()).isEqualTo(42);
        assertThat(plainOnlyMemberOnB.awaitEvent("deployed", WAIT).get(0).path("build").asInt())
                .as("the Socket.IO member on node B").isEqualTo(42);
        List<JsonNode> upToMarker = plainOnA.takeJsonUntil(m -> "marker".equals(m.path("event").asText()), WAIT);
        assertThat(upToMarker).as("no second copy of the event before the marker")
                .noneMatch(m -> "deployed".equals(m.path("event").asText()));
    }

    @Test
    void emitOnNodeBReachesSocketIoAndPlainSubscribersOfTheSameRoomOnNodeAOnce() throws Exception {
        RawWebSocket plainOnA = subscribe(nodeA, "rooms/mixed");

        Http.emit(nodeB, emit("mixed", "released", "\"v7\""));
        Http.emit(nodeB, emit("mixed", "marker", "2"));

        assertThat(mixedMemberOnA.awaitEvent("released", WAIT).get(0).asText()).isEqualTo("v7");
        assertThat(plainOnA.takeJson(m -> "released".equals(m.path("event").asText()), WAIT).path("data").asText())
                .isEqualTo("v7");
        assertThat(plainOnA.takeJsonUntil(m -> "marker".equals(m.path("event").asText()), WAIT))
                .noneMatch(m -> "released".equals(m.path("event").asText()));
        mixedMemberOnA.awaitEvent("marker", WAIT);
        assertThat(mixedMemberOnA.events("released")).as("the Socket.IO member got it once").hasSize(1);
        plainOnlyMemberOnB.assertNoEvent("released", Duration.ofMillis(300));
    }

    @Test
    void plainPublishOnNodeAReachesPlainAndSocketIoSubscribersOnNodeB() throws Exception {
        RawWebSocket plainOnB = subscribe(nodeB, "rooms/plain-only");
        RawWebSocket publisherOnA = subscribe(nodeA, "rooms/published");

        publisherOnA.sendText("{\"type\":\"publish\",\"channel\":\"rooms/plain-only\",\"event\":\"note\",\"data\":\"hi\",\"id\":9}");
        assertThat(publisherOnA.takeJson(m -> m.path("id").asInt() == 9, WAIT).path("success").asBoolean()).isTrue();

        assertThat(plainOnlyMemberOnB.awaitEvent("note", WAIT).get(0).asText()).isEqualTo("hi");
        assertThat(plainOnB.takeJson(m -> "note".equals(m.path("event").asText()), WAIT).path("data").asText()).isEqualTo("hi");
    }

    private static String emit(String room, String event, String data) {
        return "{\"namespace\":\"/chat\",\"room\":\"" + room + "\",\"event\":\"" + event + "\",\"data\":" + data + "}";
    }

    /** A plain /ws client subscribed to one channel. */
    private static RawWebSocket subscribe(SwitchboardServer node, String channel) throws Exception {
        RawWebSocket client = TestServers.plainWs(node, WAIT);
        plainClients.add(client);
        client.sendText("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"id\":1}");
        assertThat(client.takeJson(m -> m.path("id").asInt() == 1, WAIT).path("success").asBoolean())
                .as("subscribed to " + channel).isTrue();
        return client;
    }
}
