package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.app.config.SwitchboardConfig;
import dev.switchboard.app.credentials.TestJwt;
import dev.switchboard.testkit.Cleanup;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * Issue #15 item 2 through the whole app: the real /mcp, JWT handshake auth, ROOM_PATTERNS and the token's
 * {@code rooms} claim, driven by the real socket.io-client. Identity rooms come only from the verified identity.
 */
class RoomRulesAppTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] SECRET = "jwt-secret-for-room-tests-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);

    private static SwitchboardServer server;
    private static NodeClientDriver driver;

    @BeforeAll
    static void start() {
        Map<String, String> env = TestServers.baseEnv();
        env.put("NAMESPACES", "/mcp");
        env.put("JWT_SECRET", new String(SECRET, StandardCharsets.UTF_8));
        env.put("ROOM_PATTERNS", "project:*@/mcp,thread-*@/mcp");
        SwitchboardConfig config = SwitchboardConfig.fromEnvironment(env);
        server = SwitchboardServer.start(config, config.namespaces().enabledNamespaces());
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(driver, server);
    }

    private static NodeSocket connect(Map<String, ?> claims) {
        String token = TestJwt.hs256(SECRET, claims);
        NodeSocket socket = driver.connect(TestServers.url(server), "/mcp",
                ClientOptions.defaults().auth(Map.of("token", token)));
        socket.awaitConnect(WAIT);
        socket.awaitEvent("connected", WAIT);
        return socket;
    }

    private static JsonNode join(NodeSocket socket, String room) {
        return socket.emitWithAck("join", WAIT, Map.of("room", room)).get(0);
    }

    @Test
    void identityRoomsComeOnlyFromTheVerifiedIdentity() {
        NodeSocket alice = connect(Map.of("sub", "alice", "namespaces", List.of("/mcp")));
        NodeSocket bob = connect(Map.of("sub", "bob", "namespaces", List.of("/mcp")));
        for (String room : List.of("user:alice", "agent:alice", "session:alice")) {
            JsonNode refused = join(bob, room);
            assertThat(refused.path("code").asText()).as(room).isEqualTo("FORBIDDEN");
            assertThat(refused.path("message").asText()).contains("assigned by the server");
        }
        assertThat(join(alice, "user:alice").path("ok").asBoolean()).as("its own room: already in it").isTrue();

        assertThat(Http.emit(server, "{\"namespace\":\"/mcp\",\"room\":\"user:alice\",\"event\":\"dm\",\"data\":1}"))
                .isEqualTo(1);
        assertThat(alice.awaitEvent("dm", WAIT).get(0).asInt()).isEqualTo(1);
        bob.assertNoEvent("dm", Duration.ofMillis(300));
    }

    @Test
    void roomPatternsAndTheTokensRoomsClaimBothLimitJoins() {
        NodeSocket unlimited = connect(Map.of("sub", "carol", "namespaces", List.of("/mcp")));
        assertThat(join(unlimited, "thread-1").path("ok").asBoolean()).isTrue();
        assertThat(join(unlimited, "project:b").path("ok").asBoolean()).isTrue();
        JsonNode notListed = join(unlimited, "random");
        assertThat(notListed.path("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(notListed.path("message").asText()).contains("not allowed on this server");

        NodeSocket scoped = connect(Map.of("sub", "dave", "namespaces", List.of("/mcp"), "rooms", List.of("project:a*")));
        assertThat(join(scoped, "project:alpha").path("ok").asBoolean()).isTrue();
        for (String room : List.of("project:b", "thread-1")) {
            JsonNode refused = join(scoped, room);
            assertThat(refused.path("code").asText()).as(room).isEqualTo("FORBIDDEN");
            assertThat(refused.path("message").asText()).contains("not allowed by your token");
        }
        assertThat(Http.emit(server, "{\"namespace\":\"/mcp\",\"room\":\"project:b\",\"event\":\"e\",\"data\":2}"))
                .as("only the unlimited client is in project:b").isEqualTo(1);
    }

    @Test
    void aMalformedRoomsClaimIsAnInvalidToken() {
        String token = TestJwt.hs256(SECRET, Map.of("sub", "eve", "namespaces", List.of("/mcp"), "rooms", "project:*"));
        NodeSocket socket = driver.connect(TestServers.url(server), "/mcp",
                ClientOptions.defaults().auth(Map.of("token", token)));
        JsonNode error = socket.awaitConnectError(WAIT);
        assertThat(error.path("data").path("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(error.path("message").asText()).contains("rooms claim");
    }
}
