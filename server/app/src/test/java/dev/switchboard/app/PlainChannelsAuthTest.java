package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.app.credentials.TestJwt;
import dev.switchboard.testkit.RawWebSocket;

/**
 * Issue #15 item 3: a /ws channel is exactly as open as the namespace and room it maps to, under the same
 * AUTH_TOKENS / JWT / PUBLIC_NAMESPACES; only channels in WS_PUBLIC_CHANNELS are open to anyone. Real /ws clients
 * (the test kit's WebSocket client), the default WS_CHANNELS, events sent with POST /emit.
 */
class PlainChannelsAuthTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TOKEN = "plain-auth-token-0123456789";
    private static final String OTHER_NS_TOKEN = "plain-other-token-0123456789@/system";
    private static final byte[] SECRET = "jwt-secret-for-plain-tests-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);

    private static SwitchboardServer start(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("AUTH_TOKENS", TOKEN + "@/mcp," + OTHER_NS_TOKEN,
                "JWT_SECRET", new String(SECRET, StandardCharsets.UTF_8)));
        env.putAll(extra);
        return TestServers.start(env, EchoNamespace.of("/mcp", "/system"));
    }

    private static JsonNode request(RawWebSocket ws, String json, String id) throws IOException {
        ws.sendText(json.replace("}", ",\"id\":\"" + id + "\"}"));
        return ws.takeJson(m -> id.equals(m.path("id").asText()), WAIT);
    }

    private static JsonNode subscribe(RawWebSocket ws, String channel, String id) throws IOException {
        return request(ws, "{\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}", id);
    }

    /** Everything received up to a ping's answer: what the server had sent before it. */
    private static List<JsonNode> drain(RawWebSocket ws, String id) throws IOException {
        ws.sendText("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
        return ws.takeJsonUntil(m -> "pong".equals(m.path("type").asText()) && id.equals(m.path("id").asText()), WAIT);
    }

    @Test
    void withoutCredentialsNoMappedChannelOfAProtectedNamespaceIsOpen() throws Exception {
        SwitchboardServer server = start(Map.of());
        try (RawWebSocket anonymous = TestServers.plainWs(server, WAIT);
             RawWebSocket wrongNamespace = TestServers.plainWs(server, WAIT);
             RawWebSocket member = TestServers.plainWs(server, WAIT)) {
            for (String channel : List.of("global", "topics/build")) {
                assertThat(subscribe(anonymous, channel, "a-" + channel).path("code").asText()).as(channel)
                        .isEqualTo("UNAUTHORIZED");
            }
            assertThat(request(wrongNamespace, "{\"type\":\"auth\",\"token\":\"plain-other-token-0123456789\"}", "w")
                    .path("success").asBoolean()).isTrue();
            assertThat(subscribe(wrongNamespace, "global", "w1").path("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(subscribe(anonymous, "metrics", "m").path("success").asBoolean())
                    .as("a local channel of counts stays public").isTrue();

            assertThat(request(member, "{\"type\":\"auth\",\"token\":\"" + TOKEN + "\"}", "t").path("success").asBoolean())
                    .isTrue();
            assertThat(subscribe(member, "global", "g").path("success").asBoolean()).isTrue();
            assertThat(subscribe(member, "topics/build", "b").path("success").asBoolean()).isTrue();

            Http.emit(server, "{\"namespace\":\"/mcp\",\"room\":\"global\",\"event\":\"news\",\"data\":1}");
            Http.emit(server, "{\"namespace\":\"/mcp\",\"room\":\"topic:build\",\"event\":\"done\",\"data\":2}");
            assertThat(member.takeJson(m -> "done".equals(m.path("event").asText()), WAIT).path("data").asInt()).isEqualTo(2);
            for (RawWebSocket outsider : List.of(anonymous, wrongNamespace)) {
                assertThat(drain(outsider, "fence")).noneMatch(m -> m.has("channel") && !"metrics".equals(m.path("channel").asText()));
            }
        } finally {
            server.close();
        }
    }

    @Test
    void theTokensRoomsClaimAndIdentityApplyToChannelsToo() throws Exception {
        SwitchboardServer server = start(Map.of());
        String jwt = TestJwt.hs256(SECRET, Map.of("sub", "alice", "namespaces", List.of("/mcp"), "rooms", List.of("topic:a*")));
        try (RawWebSocket ws = TestServers.plainWs(server, WAIT)) {
            assertThat(request(ws, "{\"type\":\"auth\",\"token\":\"" + jwt + "\"}", "t").path("success").asBoolean()).isTrue();
            assertThat(subscribe(ws, "topics/alpha", "1").path("success").asBoolean()).isTrue();
            assertThat(subscribe(ws, "topics/beta", "2").path("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(subscribe(ws, "global", "3").path("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(subscribe(ws, "agents/alice", "4").path("code").asText())
                    .as("agent:alice is the room of a verified agent pair, not of a user token").isEqualTo("UNAUTHORIZED");
        } finally {
            server.close();
        }
    }

    @Test
    void onlyChannelsTheOperatorDeclaresPublicAreOpenToAnyone() throws Exception {
        SwitchboardServer server = start(Map.of("WS_PUBLIC_CHANNELS", "global"));
        try (RawWebSocket anonymous = TestServers.plainWs(server, WAIT)) {
            assertThat(subscribe(anonymous, "global", "g").path("success").asBoolean()).isTrue();
            assertThat(subscribe(anonymous, "topics/build", "t").path("code").asText()).isEqualTo("UNAUTHORIZED");
            JsonNode publish = request(anonymous, "{\"type\":\"publish\",\"channel\":\"global\",\"event\":\"e\"}", "p");
            assertThat(publish.path("code").asText()).as("public to read, not to write").isEqualTo("UNAUTHORIZED");
            Http.emit(server, "{\"namespace\":\"/mcp\",\"room\":\"global\",\"event\":\"news\",\"data\":1}");
            assertThat(anonymous.takeJson(m -> "news".equals(m.path("event").asText()), WAIT).path("channel").asText())
                    .isEqualTo("global");
        } finally {
            server.close();
        }
    }
}
