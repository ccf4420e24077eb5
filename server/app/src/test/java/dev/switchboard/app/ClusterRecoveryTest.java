package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * Connection state recovery with the Redis adapter: events emitted on node B while a client of node A is cut
 * off are recovered, all of them and in order, when it reconnects to node A (nginx routes it back there).
 */
class ClusterRecoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MISSED = 1_000; // outlasts the 1.5 s cut: the reconnect happens while events flow

    @Test
    void clientOfNodeARecoversWhatNodeBSentWhileItWasAway() {
        try (TwoNodeCluster cluster = TwoNodeCluster.start(
                Map.of("RECOVERY_MAX_DISCONNECTION_MS", "30000", "RATE_LIMIT_EVENTS_PER_SEC", "0"));
                NodeClientDriver driver = NodeClientDriver.start()) {
            SwitchboardServer nodeA = cluster.nodeA();
            SwitchboardServer nodeB = cluster.nodeB();
            NodeSocket client = driver.connect(TestServers.url(nodeA), "/chat", ClientOptions.defaults()
                    .transports("websocket").reconnectionDelay(Duration.ofMillis(1500)));
            String id = client.awaitConnect(WAIT).path("sid").asText();
            client.emitWithAck("join", WAIT, "job-1");
            // before the cut: node B's broadcasts reach it (and carry node A's offsets)
            TwoNodeCluster.emitUntilReceived(nodeB,
                    "{\"namespace\":\"/chat\",\"room\":\"job-1\",\"event\":\"seq\",\"data\":-1}", client, "seq");
            int before = client.events("seq").size();

            client.closeTransport("destroy");
            client.awaitDisconnect(WAIT);
            for (int i = 0; i < MISSED; i++) {
                Http.emit(nodeB, "{\"namespace\":\"/chat\",\"room\":\"job-1\",\"event\":\"seq\",\"data\":" + i + "}");
            }

            JsonNode reconnect = client.awaitLifecycle("connect", 2, WAIT);
            assertThat(reconnect.path("recovered").asBoolean()).as("socket.recovered").isTrue();
            assertThat(reconnect.path("sid").asText()).isEqualTo(id);
            client.awaitEvent("seq", args -> args.get(0).asInt() == MISSED - 1, WAIT);
            assertThat(client.events("seq").subList(before, client.events("seq").size()))
                    .extracting(args -> args.get(0).asInt())
                    .containsExactlyElementsOf(IntStream.range(0, MISSED).boxed().toList());
        }
    }
}
