package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.RawWebSocket;

/**
 * The app wiring of the plain channels: POST /emit reaches a plain /ws subscriber and a Socket.IO member of the same
 * room; a token from AUTH_TOKENS opens a private channel; /health and /stats list per-channel subscribers.
 */
class PlainChannelsAppTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String TOKEN = "plain-client-token-0123456789";

    @Test
    void emitReachesPlainAndSocketIoSubscribersAndHealthCountsChannels() throws Exception {
        Map<String, String> env = Map.of(
                "WS_CHANNELS", "rooms/{room}=/chat:{room}:auth:auth;metrics=local::public:none",
                "AUTH_TOKENS", TOKEN, "PUBLIC_NAMESPACES", "/chat");
        SwitchboardServer server = TestServers.start(env, EchoNamespace.of("/chat"));
        try (NodeClientDriver driver = NodeClientDriver.start();
                RawWebSocket ws = TestServers.plainWs(server, WAIT)) {
            NodeSocket member = driver.connect(TestServers.url(server), "/chat");
            member.awaitConnect(WAIT);
            member.emitWithAck("join", WAIT, "release-7");

            ws.sendText("{\"type\":\"subscribe\",\"channel\":\"rooms/release-7\",\"id\":1}");
            assertThat(ws.takeJson(m -> m.has("id"), WAIT).path("code").asText()).isEqualTo("UNAUTHORIZED");
            ws.sendText("{\"type\":\"auth\",\"token\":\"" + TOKEN + "\",\"id\":2}");
            assertThat(ws.takeJson(m -> m.has("id"), WAIT).path("success").asBoolean()).isTrue();
            ws.sendText("{\"type\":\"subscribe\",\"channel\":\"rooms/release-7\",\"id\":3}");
            assertThat(ws.takeJson(m -> m.has("id"), WAIT).path("success").asBoolean()).isTrue();

            Http.emit(server, "{\"namespace\":\"/chat\",\"room\":\"release-7\",\"event\":\"deployed\",\"data\":{\"build\":42}}");
            assertThat(member.awaitEvent("deployed", WAIT).get(0).path("build").asInt()).isEqualTo(42);
            JsonNode event = ws.takeJson(m -> m.has("channel"), WAIT);
            assertThat(event.path("channel").asText()).isEqualTo("rooms/release-7");
            assertThat(event.path("event").asText()).isEqualTo("deployed");
            assertThat(event.path("data").path("build").asInt()).isEqualTo(42);

            ws.sendText("{\"type\":\"publish\",\"channel\":\"rooms/release-7\",\"event\":\"note\",\"data\":\"hi\",\"id\":4}");
            assertThat(member.awaitEvent("note", WAIT).get(0).asText()).isEqualTo("hi");

            JsonNode health = Http.get(server.wsPort(), "/health").json();
            assertThat(health.path("channels").path("connections").asInt()).isEqualTo(1);
            assertThat(health.path("channels").path("subscriptions").asInt()).isEqualTo(1);
            assertThat(health.toString()).as("the public /health names no channel").doesNotContain("rooms/release-7");
            JsonNode stats = Http.get(server.apiPort(), "/stats").json();
            assertThat(stats.path("channels").path("subscribers").path("rooms/release-7").asInt()).isEqualTo(1);
        } finally {
            server.close();
        }
    }
}
