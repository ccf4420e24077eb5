package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The app wiring of the plain channels: POST /emit reaches a plain /ws subscriber and a Socket.IO member of the same
 * room; a token from AUTH_TOKENS opens a private channel; /health and /stats list per-channel subscribers.
 */
class PlainChannelsAppTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "plain-client-token-0123456789";

    @Test
    void emitReachesPlainAndSocketIoSubscribersAndHealthCountsChannels() throws Exception {
        Map<String, String> env = Map.of(
                "WS_CHANNELS", "rooms/{room}=/chat:{room}:auth:auth;metrics=local::public:none",
                "AUTH_TOKENS", TOKEN, "PUBLIC_NAMESPACES", "/chat");
        SwitchboardServer server = TestServers.start(env, EchoNamespace.of("/chat"));
        BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        WebSocket ws = null;
        try (NodeClientDriver driver = NodeClientDriver.start()) {
            NodeSocket member = driver.connect(TestServers.url(server), "/chat");
            member.awaitConnect(WAIT);
            member.emitWithAck("join", WAIT, "release-7");

            ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.wsPort() + "/ws"), collector(received))
                    .get(10, TimeUnit.SECONDS);
            take(received, m -> "connected".equals(m.path("type").asText()));
            ws.sendText("{\"type\":\"subscribe\",\"channel\":\"rooms/release-7\",\"id\":1}", true).join();
            assertThat(take(received, m -> m.has("id")).path("code").asText()).isEqualTo("UNAUTHORIZED");
            ws.sendText("{\"type\":\"auth\",\"token\":\"" + TOKEN + "\",\"id\":2}", true).join();
            assertThat(take(received, m -> m.has("id")).path("success").asBoolean()).isTrue();
            ws.sendText("{\"type\":\"subscribe\",\"channel\":\"rooms/release-7\",\"id\":3}", true).join();
            assertThat(take(received, m -> m.has("id")).path("success").asBoolean()).isTrue();

            Http.emit(server, "{\"namespace\":\"/chat\",\"room\":\"release-7\",\"event\":\"deployed\",\"data\":{\"build\":42}}");
            assertThat(member.awaitEvent("deployed", WAIT).get(0).path("build").asInt()).isEqualTo(42);
            JsonNode event = take(received, m -> m.has("channel"));
            assertThat(event.path("channel").asText()).isEqualTo("rooms/release-7");
            assertThat(event.path("event").asText()).isEqualTo("deployed");
            assertThat(event.path("data").path("build").asInt()).isEqualTo(42);

            ws.sendText("{\"type\":\"publish\",\"channel\":\"rooms/release-7\",\"event\":\"note\",\"data\":\"hi\",\"id\":4}", true).join();
            assertThat(member.awaitEvent("note", WAIT).get(0).asText()).isEqualTo("hi");

            JsonNode health = Http.get(server.wsPort(), "/health").json();
            assertThat(health.path("channels").path("connections").asInt()).isEqualTo(1);
            assertThat(health.path("channels").path("subscribers").path("rooms/release-7").asInt()).isEqualTo(1);
            JsonNode stats = Http.get(server.apiPort(), "/stats").json();
            assertThat(stats.path("channels").path("subscribers").path("rooms/release-7").asInt()).isEqualTo(1);
        } finally {
            if (ws != null) ws.abort();
            server.close();
        }
    }

    private static JsonNode take(BlockingQueue<JsonNode> queue, Predicate<JsonNode> match) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode next = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) throw new AssertionError("no matching message within " + WAIT);
            if (match.test(next)) return next;
        }
    }

    private static WebSocket.Listener collector(BlockingQueue<JsonNode> received) {
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
