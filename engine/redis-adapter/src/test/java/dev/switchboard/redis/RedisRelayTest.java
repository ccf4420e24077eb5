package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.socketio.HistoryReplay;
import dev.switchboard.socketio.Socket;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.Cleanup;

/** The seed pattern: JSON events published on a Redis channel reach the room on every node, exactly once. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisRelayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CHANNEL = "switchboard:events";

    private static RedisServer redis;
    private static NodeClientDriver driver;
    private static ClusterNode a;
    private static ClusterNode b;
    private static RedisRelay relayA;
    private static RedisRelay relayB;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        RedisSettings settings = RedisSettings.defaults().withUrl(redis.url()).withPrefix("sbrelay").withRelayChannel(CHANNEL);
        a = new ClusterNode(settings, "/mcp").awaitHealthy(WAIT);
        b = new ClusterNode(settings, "/mcp").awaitHealthy(WAIT);
        relayA = a.cluster.startRelay(a.io).orElseThrow();
        relayB = b.cluster.startRelay(b.io).orElseThrow();
        driver = NodeClientDriver.start();
        Await.until(() -> redis.commands().pubsubNumsub(CHANNEL).get(CHANNEL) == 2, WAIT, "both relays subscribed");
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(driver, a, b, redis);
    }

    private static NodeSocket connect(ClusterNode node) {
        return node.connect(driver, "/mcp", WAIT);
    }

    @Test
    void relayedEventsReachTheRoomOnEveryNodeOnce() {
        NodeSocket a1 = connect(a);
        NodeSocket b1 = connect(b);
        NodeSocket b2 = connect(b);
        a1.emitWithAck("join", WAIT, "thread-42");
        b1.emitWithAck("join", WAIT, "thread-42");

        redis.commands().publish(CHANNEL,
                "{\"namespace\":\"/mcp\",\"room\":\"thread-42\",\"event\":\"update\",\"data\":{\"step\":1,\"ok\":true}}");
        for (NodeSocket s : List.of(a1, b1)) {
            assertThat(s.awaitEvent("update", WAIT).toString()).isEqualTo("[{\"step\":1,\"ok\":true}]");
        }
        b2.assertNoEvent("update", Duration.ofMillis(500));

        redis.commands().publish(CHANNEL, "{\"namespace\":\"/mcp\",\"event\":\"ping-all\"}");
        for (NodeSocket s : List.of(a1, b1, b2)) {
            assertThat(s.awaitEvent("ping-all", WAIT).toString()).isEqualTo("[]");
        }
        // once per socket although both nodes got the message
        a1.assertNoEvent("never", Duration.ofMillis(300));
        assertThat(a1.events("update")).hasSize(1);
        assertThat(b1.events("update")).hasSize(1);
        assertThat(b2.events("ping-all")).hasSize(1);
        for (NodeSocket s : List.of(a1, b1, b2)) {
            s.disconnect();
        }
    }

    @Test
    void aRelayedEventIsRecordedInItsRoomsHistoryWithItsOffset() {
        a.ns("/mcp").history("history-.*", 10, null);
        NodeSocket a1 = connect(a);
        a1.emitWithAck("join", WAIT, "history-7");
        Socket member = a.ns("/mcp").sockets().stream().filter(s -> s.rooms().contains("history-7")).findFirst().orElseThrow();
        member.requestOffsets();

        redis.commands().publish(CHANNEL, "{\"namespace\":\"/mcp\",\"room\":\"history-7\",\"event\":\"step\",\"data\":1}");
        JsonNode live = a1.awaitEvent("step", WAIT);
        assertThat(live.size()).as("data, then its offset: " + live).isEqualTo(2);
        assertThat(live.get(1).asText()).matches("[0-9]+-[0-9a-z]+");

        HistoryReplay replay = a.ns("/mcp").replayHistory(member, "history-7", null);
        assertThat(replay.replayed()).as("relayed events in the room's history").isEqualTo(1);
        assertThat(a1.awaitEvents("step", 2, WAIT).get(1)).isEqualTo(live);
        a1.disconnect();
    }

    @Test
    void badRelayMessagesAreDroppedAndCounted() {
        NodeSocket a1 = connect(a);
        long before = relayA.rejected();
        List<String> bad = List.of(
                "not json",
                "[1,2]",
                "{\"event\":\"x\"}",                                         // no namespace
                "{\"namespace\":\"mcp\",\"event\":\"x\"}",                   // not starting with /
                "{\"namespace\":\"/nope\",\"event\":\"x\"}",                 // unknown namespace
                "{\"namespace\":\"/mcp\"}",                                  // no event
                "{\"namespace\":\"/mcp\",\"event\":\"disconnect\"}",         // reserved
                "{\"namespace\":\"/mcp\",\"event\":\"x\",\"room\":[\"a\"]}"); // room not a string
        for (String message : bad) {
            redis.commands().publish(CHANNEL, message);
        }
        Await.until(() -> relayA.rejected() - before == bad.size(), WAIT, bad.size() + " bad messages rejected on node A");
        Await.until(() -> relayB.rejected() >= bad.size(), WAIT, "and on node B");
        a1.assertNoEvent("x", Duration.ofMillis(300));
        assertThat(a1.lifecycle("disconnect")).isEmpty();

        redis.commands().publish(CHANNEL, "{\"namespace\":\"/mcp\",\"event\":\"after-bad\",\"data\":[1]}");
        assertThat(a1.awaitEvent("after-bad", WAIT).toString()).isEqualTo("[[1]]");
        a1.disconnect();
    }
}
