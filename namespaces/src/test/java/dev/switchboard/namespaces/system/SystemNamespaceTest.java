package dev.switchboard.namespaces.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.namespaces.core.NamespaceTestServer;
import dev.switchboard.namespaces.core.NodeClients;

/** /system on a real server, driven by the real Node socket.io-client. */
class SystemNamespaceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    static final NodeClients clients = new NodeClients();
    SystemNamespace system;
    NamespaceTestServer server;

    @BeforeEach
    void startServer() {
        server = NamespaceTestServer.start(SystemNamespace.DEFINITION.with(new SystemSettings(3, 2000, 500, 60_000, 10)));
        system = server.running();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private NodeSocket connect() {
        return clients.connect(server, WAIT);
    }

    private static JsonNode ack(NodeSocket socket, String event, Object arg) {
        return socket.emitWithAck(event, WAIT, arg).get(0);
    }

    @Test
    void distinctIntervalsBeyondTheSamplingBudgetAreRefusedWhileSharedAndDefaultOnesAreServed() {
        NodeSocket attacker = connect();
        int accepted = 0;
        JsonNode refusal = null;
        for (int interval = 500; interval < 550; interval++) { // 50 distinct intervals: 50 samplers on one thread
            JsonNode ack = ack(attacker, "subscribe:stats", Map.of("interval", interval, "metrics", List.of("cpu")));
            if (ack.path("ok").asBoolean()) {
                accepted++;
            } else {
                refusal = ack;
            }
        }
        // budget: two samplers at the 500 ms minimum (4 samples/s) beside the default interval
        assertThat(accepted).as("distinct intervals accepted").isEqualTo(2);
        assertThat(system.runningSamplers()).isEqualTo(2);
        assertThat(refusal.path("code").asText()).isEqualTo("LIMIT_EXCEEDED");
        assertThat(refusal.path("message").asText()).contains("[500, 501]");

        NodeSocket other = connect();
        assertThat(ack(other, "subscribe:stats", Map.of("interval", 500)).path("ok").asBoolean()).as("shared").isTrue();
        assertThat(ack(other, "subscribe:stats", Map.of()).path("interval").asLong()).as("default").isEqualTo(2000);
        other.awaitEvents("stats", 2, WAIT);
        assertThat(system.runningSamplers()).isEqualTo(3);
    }

    @Test
    void statsArriveAtTheIntervalWithSaneValuesAndStopAfterUnsubscribe() {
        NodeSocket socket = connect();
        JsonNode greeting = socket.awaitEvent("connected", WAIT).get(0);
        assertThat(greeting.path("namespace").asText()).isEqualTo("/system");
        assertThat(greeting.path("metrics")).hasSize(8);

        JsonNode ack = ack(socket, "subscribe:stats", Map.of("interval", 500, "metrics", List.of("cpu", "memory", "processes")));
        assertThat(ack.path("ok").asBoolean()).isTrue();
        assertThat(ack.path("interval").asLong()).isEqualTo(500);
        assertThat(system.activeStreams()).isEqualTo(1);

        List<JsonNode> stats = socket.awaitEvents("stats", 4, WAIT);
        for (JsonNode args : stats) {
            JsonNode sample = args.get(0);
            assertThat(sample.path("interval").asLong()).isEqualTo(500);
            assertThat(sample.path("cpu").path("total").asDouble()).isBetween(0.0, 100.0);
            assertThat(sample.path("cpu").path("cores").size()).isPositive();
            assertThat(sample.path("memory").path("used").asLong()).isPositive()
                    .isLessThanOrEqualTo(sample.path("memory").path("total").asLong());
            assertThat(sample.path("processes").size()).isBetween(1, 10);
            assertThat(sample.has("disks")).isFalse(); // not asked for
        }
        long span = stats.get(3).get(0).path("timestamp").asLong() - stats.get(0).get(0).path("timestamp").asLong();
        assertThat(span / 3).as("mean ms between samples").isBetween(350L, 900L);

        StatsSampler sampler = system.sampler(500);
        JsonNode left = ack(socket, "unsubscribe:stats", Map.of("interval", 500));
        assertThat(left.path("ok").asBoolean()).isTrue();
        assertThat(left.path("unsubscribed")).hasSize(1);
        assertThat(system.activeStreams()).isZero();
        assertThat(system.runningSamplers()).isZero();
        assertThat(sampler.isRunning()).isFalse();
        socket.clearEvents();
        socket.assertNoEvent("stats", Duration.ofMillis(1200)); // more than two intervals
        socket.disconnect();
    }

    @Test
    void twoSubscribersShareOneSamplerThatSamplesTheUnion() {
        NodeSocket cpuOnly = connect();
        NodeSocket memoryOnly = connect();
        ack(cpuOnly, "subscribe:stats", Map.of("interval", 500, "metrics", List.of("cpu")));
        ack(memoryOnly, "subscribe:stats", Map.of("interval", 500, "metrics", List.of("memory")));
        assertThat(system.activeStreams()).isEqualTo(1);
        assertThat(system.runningSamplers()).isEqualTo(1);

        JsonNode sample = memoryOnly.awaitEvent("stats", args -> args.get(0).has("cpu") && args.get(0).has("memory"), WAIT).get(0);
        assertThat(sample.has("processes")).isFalse();
        cpuOnly.awaitEvent("stats", args -> args.get(0).path("timestamp").asLong() == sample.path("timestamp").asLong(), WAIT);

        JsonNode other = ack(cpuOnly, "subscribe:stats", Map.of("interval", 1000, "metrics", List.of("load")));
        assertThat(other.path("ok").asBoolean()).isTrue();
        assertThat(system.runningSamplers()).as("one sampler per distinct interval").isEqualTo(2);
        cpuOnly.awaitEvent("stats", args -> args.get(0).path("interval").asLong() == 1000, WAIT);

        JsonNode all = ack(cpuOnly, "unsubscribe:stats", Map.of()); // no interval: every subscription of the socket
        assertThat(all.path("unsubscribed")).hasSize(2);
        assertThat(system.activeStreams()).isEqualTo(1);
        memoryOnly.disconnect();
        Await.until(() -> system.activeStreams() == 0, WAIT, "stream released after the last subscriber disconnected");
        // the stream is uncounted before its sampler stops, on the disconnect's thread
        Await.until(() -> system.runningSamplers() == 0, WAIT, "sampler stopped");
        cpuOnly.disconnect();
    }

    @Test
    void newSubscriberGetsTheHistoryFirstWithoutGapOrDuplicate() {
        NodeSocket first = connect();
        ack(first, "subscribe:stats", Map.of("interval", 500, "metrics", List.of("uptime")));
        List<JsonNode> seen = first.awaitEvents("stats", 4, WAIT); // history holds the last 3

        NodeSocket late = connect();
        ack(late, "subscribe:stats", Map.of("interval", 500, "metrics", List.of("uptime")));
        List<JsonNode> got = late.awaitEvents("stats", 5, WAIT);

        List<Long> times = new ArrayList<>();
        for (JsonNode args : got) {
            times.add(args.get(0).path("timestamp").asLong());
        }
        assertThat(times).doesNotHaveDuplicates().isSorted();
        // the first three are replayed samples the first subscriber had already received
        List<Long> earlier = first.events("stats").stream().map(a -> a.get(0).path("timestamp").asLong()).toList();
        assertThat(earlier).containsAll(times.subList(0, 3));
        assertThat(times.get(0)).isGreaterThanOrEqualTo(seen.get(0).get(0).path("timestamp").asLong());
        // and what follows is continuous: consecutive samples ~500 ms apart, none skipped
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 1)).as("gap %d", i).isLessThan(1000);
        }
        first.disconnect();
        late.disconnect();
    }

    @Test
    void badArgumentsGetAnErrorAndStartNothing() {
        NodeSocket socket = connect();
        Object[][] cases = {
            {Map.of("interval", 100), "between 500"},
            {Map.of("interval", "fast"), "whole number"},
            {Map.of("metrics", List.of("cpu", "gpu")), "unknown metric"},
            {"cpu", "expects an object"},
        };
        int n = 0;
        for (Object[] c : cases) {
            JsonNode ack = ack(socket, "subscribe:stats", c[0]);
            assertThat(ack.path("ok").asBoolean(true)).isFalse();
            assertThat(ack.path("code").asText()).isEqualTo("BAD_REQUEST");
            assertThat(ack.path("message").asText()).contains((String) c[1]);
            JsonNode error = socket.awaitServerEvent("error", a -> true, ++n, WAIT).arg(0);
            assertThat(error.path("event").asText()).isEqualTo("subscribe:stats");
            assertThat(error.path("code").asText()).isEqualTo("BAD_REQUEST");
        }
        socket.emit("subscribe:stats", Map.of("interval", 499)); // without an ack: the error event alone
        JsonNode error = socket.awaitServerEvent("error", a -> true, ++n, WAIT).arg(0);
        assertThat(error.path("message").asText()).contains("between 500");
        JsonNode unsub = ack(socket, "unsubscribe:stats", Map.of("interval", 20));
        assertThat(unsub.path("ok").asBoolean(true)).isFalse();
        assertThat(system.activeStreams()).isZero();
        socket.disconnect();
    }
}
