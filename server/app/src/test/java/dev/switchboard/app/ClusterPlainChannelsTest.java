package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.redis.RedisServer;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * Plain /ws channels with Redis scale-out: two app nodes on one real redis-server. A POST /emit on node B reaches
 * the plain subscribers on node A, once each, also of a room no Socket.IO socket on A is in (the Redis adapter must
 * not skip it), and still reaches the Socket.IO members on both nodes; a plain publish on A reaches node B's
 * plain and Socket.IO subscribers.
 */
class ClusterPlainChannelsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RedisServer redis;
    private static SwitchboardServer nodeA;
    private static SwitchboardServer nodeB;
    private static NodeClientDriver driver;
    private static NodeSocket mixedMemberOnA;
    private static NodeSocket plainOnlyMemberOnB;
    private static final List<PlainSubscriber> plainClients = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        Map<String, String> clustered = Map.of("REDIS_URL", redis.url(), "REDIS_HEARTBEAT_MS", "200",
                "WS_CHANNELS", "rooms/{room}=/chat:{room}:public:public");
        nodeA = TestServers.start(clustered, EchoNamespace.of("/chat"));
        nodeB = TestServers.start(clustered, EchoNamespace.of("/chat"));
        driver = NodeClientDriver.start();
        // "mixed" has a Socket.IO member on A; "plain-only" has none on A (only plain subscribers there)
        mixedMemberOnA = driver.connect(TestServers.url(nodeA), "/chat", ClientOptions.defaults());
        plainOnlyMemberOnB = driver.connect(TestServers.url(nodeB), "/chat", ClientOptions.defaults());
        mixedMemberOnA.awaitConnect(WAIT);
        plainOnlyMemberOnB.awaitConnect(WAIT);
        mixedMemberOnA.emitWithAck("join", WAIT, "mixed");
        plainOnlyMemberOnB.emitWithAck("join", WAIT, "plain-only");
        // a node publishes nothing until Redis answers (degraded), and its subscriptions land a moment later:
        // emit (bounded) until each direction delivers once, so the tests start on a connected cluster
        awaitDelivery(nodeB, "mixed", mixedMemberOnA);
        awaitDelivery(nodeA, "plain-only", plainOnlyMemberOnB);
    }

    private static void awaitDelivery(SwitchboardServer from, String room, NodeSocket memberElsewhere) {
        for (int attempt = 0; attempt < 30 && memberElsewhere.events("warm-up").isEmpty(); attempt++) {
            Http.emit(from, emit(room, "warm-up", Integer.toString(attempt)));
            try {
                memberElsewhere.awaitEvent("warm-up", Duration.ofMillis(500));
            } catch (AssertionError notYet) {
                // Redis not connected or subscribed yet: try again
            }
        }
        assertThat(memberElsewhere.events("warm-up")).as("cluster delivery to " + room).isNotEmpty();
    }

    @AfterAll
    static void stop() {
        plainClients.forEach(PlainSubscriber::close);
        if (driver != null) {
            driver.close();
        }
        for (SwitchboardServer node : new SwitchboardServer[] {nodeA, nodeB}) {
            if (node != null) {
                node.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void emitOnNodeBReachesPlainSubscribersOnNodeAOfARoomWithNoSocketIoMemberThere() throws Exception {
        PlainSubscriber plainOnA = PlainSubscriber.open(nodeA, "rooms/plain-only");

        Http.emit(nodeB, emit("plain-only", "deployed", "{\"build\":42}"));
        Http.emit(nodeB, emit("plain-only", "marker", "1")); // same Redis channel, so it arrives after "deployed"

        JsonNode event = plainOnA.take(m -> "deployed".equals(m.path("event").asText()));
        assertThat(event.path("channel").asText()).isEqualTo("rooms/plain-only");
        assertThat(event.path("data").path("build").asInt()).isEqualTo(42);
        assertThat(plainOnlyMemberOnB.awaitEvent("deployed", WAIT).get(0).path("build").asInt())
                .as("the Socket.IO member on node B").isEqualTo(42);
        List<JsonNode> upToMarker = plainOnA.takeUntil(m -> "marker".equals(m.path("event").asText()));
        assertThat(upToMarker).as("no second copy of the event before the marker")
                .noneMatch(m -> "deployed".equals(m.path("event").asText()));
    }

    @Test
    void emitOnNodeBReachesSocketIoAndPlainSubscribersOfTheSameRoomOnNodeAOnce() throws Exception {
        PlainSubscriber plainOnA = PlainSubscriber.open(nodeA, "rooms/mixed");

        Http.emit(nodeB, emit("mixed", "released", "\"v7\""));
        Http.emit(nodeB, emit("mixed", "marker", "2"));

        assertThat(mixedMemberOnA.awaitEvent("released", WAIT).get(0).asText()).isEqualTo("v7");
        assertThat(plainOnA.take(m -> "released".equals(m.path("event").asText())).path("data").asText())
                .isEqualTo("v7");
        assertThat(plainOnA.takeUntil(m -> "marker".equals(m.path("event").asText())))
                .noneMatch(m -> "released".equals(m.path("event").asText()));
        mixedMemberOnA.awaitEvent("marker", WAIT);
        assertThat(mixedMemberOnA.events("released")).as("the Socket.IO member got it once").hasSize(1);
        plainOnlyMemberOnB.assertNoEvent("released", Duration.ofMillis(300));
    }

    @Test
    void plainPublishOnNodeAReachesPlainAndSocketIoSubscribersOnNodeB() throws Exception {
        PlainSubscriber plainOnB = PlainSubscriber.open(nodeB, "rooms/plain-only");
        PlainSubscriber publisherOnA = PlainSubscriber.open(nodeA, "rooms/published");

        publisherOnA.send("{\"type\":\"publish\",\"channel\":\"rooms/plain-only\",\"event\":\"note\",\"data\":\"hi\",\"id\":9}");
        assertThat(publisherOnA.take(m -> m.path("id").asInt() == 9).path("success").asBoolean()).isTrue();

        assertThat(plainOnlyMemberOnB.awaitEvent("note", WAIT).get(0).asText()).isEqualTo("hi");
        assertThat(plainOnB.take(m -> "note".equals(m.path("event").asText())).path("data").asText()).isEqualTo("hi");
    }

    private static String emit(String room, String event, String data) {
        return "{\"namespace\":\"/chat\",\"room\":\"" + room + "\",\"event\":\"" + event + "\",\"data\":" + data + "}";
    }

    /** A plain /ws client subscribed to one channel, collecting every JSON message it receives. */
    private static final class PlainSubscriber {
        private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        private WebSocket ws;

        static PlainSubscriber open(SwitchboardServer node, String channel) throws Exception {
            PlainSubscriber client = new PlainSubscriber();
            client.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + node.wsPort() + "/ws"), client.collector())
                    .get(10, TimeUnit.SECONDS);
            plainClients.add(client);
            client.take(m -> "connected".equals(m.path("type").asText()));
            client.send("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"id\":1}");
            assertThat(client.take(m -> m.path("id").asInt() == 1).path("success").asBoolean())
                    .as("subscribed to " + channel).isTrue();
            return client;
        }

        void send(String text) {
            ws.sendText(text, true).join();
        }

        JsonNode take(Predicate<JsonNode> match) throws InterruptedException {
            List<JsonNode> taken = takeUntil(match);
            return taken.get(taken.size() - 1);
        }

        /** Every message up to and including the first that matches (within {@link #WAIT}). */
        List<JsonNode> takeUntil(Predicate<JsonNode> match) throws InterruptedException {
            List<JsonNode> taken = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                JsonNode next = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new AssertionError("no matching message within " + WAIT + "; got " + taken);
                }
                taken.add(next);
                if (match.test(next)) {
                    return taken;
                }
            }
        }

        void close() {
            if (ws != null) {
                ws.abort();
            }
        }

        private WebSocket.Listener collector() {
            return new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        try {
                            received.add(JSON.readTree(text.toString()));
                        } catch (Exception e) {
                            received.add(JSON.getNodeFactory().textNode(text.toString()));
                        }
                        text.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }
            };
        }
    }
}
