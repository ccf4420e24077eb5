package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.Cleanup;

/**
 * Two app nodes sharing one real redis-server: POST /emit on node B reaches room members on node A and B and
 * nobody else; /health counts sockets across nodes; Redis down makes /health say degraded while local delivery
 * goes on, and ok again once Redis is back.
 */
class ClusterEmitTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static TwoNodeCluster cluster;
    private static SwitchboardServer nodeA;
    private static SwitchboardServer nodeB;
    private static NodeClientDriver driver;
    private static NodeSocket memberOnA;
    private static NodeSocket outsiderOnA;
    private static NodeSocket memberOnB;

    @BeforeAll
    static void start() {
        cluster = TwoNodeCluster.start(Map.of());
        nodeA = cluster.nodeA();
        nodeB = cluster.nodeB();
        driver = NodeClientDriver.start();
        memberOnA = driver.connect(TestServers.url(nodeA), "/chat", ClientOptions.defaults());
        outsiderOnA = driver.connect(TestServers.url(nodeA), "/chat", ClientOptions.defaults());
        memberOnB = driver.connect(TestServers.url(nodeB), "/chat", ClientOptions.defaults());
        for (NodeSocket socket : List.of(memberOnA, outsiderOnA, memberOnB)) {
            socket.awaitConnect(WAIT);
        }
        memberOnA.emitWithAck("join", WAIT, "release-7");
        memberOnB.emitWithAck("join", WAIT, "release-7");
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(driver, cluster);
    }

    @Test
    void emitOnOneNodeReachesTheRoomOnEveryNodeAndNobodyElse() {
        Http.emit(nodeB, "{\"namespace\":\"/chat\",\"room\":\"release-7\",\"event\":\"deployed\",\"data\":{\"build\":42}}");

        for (NodeSocket member : List.of(memberOnA, memberOnB)) {
            JsonNode args = member.awaitEvent("deployed", WAIT);
            assertThat(args.get(0).path("build").asInt()).isEqualTo(42);
        }
        outsiderOnA.assertNoEvent("deployed", Duration.ofMillis(500));
    }

    @Test
    void aBroadcastRelayedFromTheOtherNodeIsCountedInEventsOutWhereItIsDelivered() {
        double before = eventsOut(nodeA);
        TwoNodeCluster.emitUntilReceived(nodeB,
                "{\"namespace\":\"/chat\",\"room\":\"release-7\",\"event\":\"relayed\",\"data\":3}",
                memberOnA, "relayed");
        Await.until(() -> eventsOut(nodeA) >= before + 1, WAIT,
                "node A counting in switchboard_events_out the broadcast it relayed from node B to its room member");
    }

    @Test
    void healthCountsSocketsOnEveryNode() {
        Await.until(() -> chatConnections(nodeA) == 3 && chatConnections(nodeB) == 3, WAIT,
                "both nodes counting the 3 sockets of the cluster");
        assertThat(Http.get(nodeA.apiPort(), "/health").json().path("status").asText()).isEqualTo("healthy");
    }

    @Test
    void redisDownIsReportedAsDegradedAndLocalDeliveryGoesOn() {
        cluster.redis().kill();
        try {
            Await.until(() -> "degraded".equals(status(nodeA)) && "degraded".equals(status(nodeB)), WAIT,
                    "both nodes reporting degraded while Redis is down");
            Http.emit(nodeA, "{\"namespace\":\"/chat\",\"room\":\"release-7\",\"event\":\"local-only\",\"data\":1}");
            memberOnA.awaitEvent("local-only", WAIT);
        } finally {
            cluster.redis().restart();
        }
        Await.until(() -> "healthy".equals(status(nodeA)) && "healthy".equals(status(nodeB)), WAIT,
                "both nodes back to ok once Redis answers again");
        // Health says ok once commands answer; the pub/sub re-subscription may land a moment later: what
        // matters is that delivery across the nodes resumes.
        TwoNodeCluster.emitUntilReceived(nodeA,
                "{\"namespace\":\"/chat\",\"room\":\"release-7\",\"event\":\"after-restart\",\"data\":2}",
                memberOnB, "after-restart");
    }

    private static final Pattern CHAT_EVENTS_OUT =
            Pattern.compile("^switchboard_events_out_total\\{namespace=\"/chat\"\\} (\\S+)$", Pattern.MULTILINE);

    /** {@code switchboard_events_out_total{namespace="/chat"}} as GET /metrics on the node's API port says. */
    private static double eventsOut(SwitchboardServer node) {
        Matcher m = CHAT_EVENTS_OUT.matcher(Http.get(node.apiPort(), "/metrics").body());
        assertThat(m.find()).as("switchboard_events_out_total{namespace=\"/chat\"} in /metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static String status(SwitchboardServer node) {
        return Http.get(node.apiPort(), "/health").json().path("status").asText();
    }

    private static int chatConnections(SwitchboardServer node) {
        return Http.get(node.apiPort(), "/health").json().path("connections").path("chat").asInt();
    }
}
