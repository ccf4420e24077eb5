package dev.switchboard.app.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.app.CapturedLogs;
import dev.switchboard.app.EchoNamespace;
import dev.switchboard.app.Http;
import dev.switchboard.app.SwitchboardServer;
import dev.switchboard.app.TestServers;
import dev.switchboard.app.credentials.TestJwt;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.Cleanup;

/** Handshake auth with the real socket.io-client: static tokens, JWT, namespace grants, refused clients get nothing. */
class HandshakeAuthTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ALL_TOKEN = "static-token-all-namespaces-01";
    private static final String SCOPED_TOKEN = "static-token-only-secure-two-02";
    private static final String JWT_SECRET = "jwt-secret-for-tests-at-least-32-bytes";

    private static SwitchboardServer server;
    private static NodeClientDriver driver;

    @BeforeAll
    static void start() {
        server = TestServers.start(Map.of(
                "AUTH_TOKENS", ALL_TOKEN + "," + SCOPED_TOKEN + "@/secure2",
                "JWT_SECRET", JWT_SECRET,
                "PUBLIC_NAMESPACES", "/open"), EchoNamespace.of("/open", "/secure", "/secure2"));
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(driver, server);
    }

    @Test
    void publicNamespaceNeedsNoToken() {
        NodeSocket socket = connect("/open", ClientOptions.defaults());
        socket.awaitConnect(WAIT);
        assertThat(socket.awaitEvent("connected", WAIT).get(0).path("namespace").asText()).isEqualTo("/open");
    }

    @Test
    void refusedWithoutTokenAndReceivesNoBroadcast() {
        NodeSocket allowed = connect("/secure", ClientOptions.defaults().auth(Map.of("token", ALL_TOKEN)));
        allowed.awaitConnect(WAIT);
        NodeSocket refused = connect("/secure", ClientOptions.defaults().reconnection(false));
        JsonNode error = refused.awaitConnectError(WAIT);
        assertThat(error.path("message").asText()).isEqualTo("authentication required");
        assertThat(error.path("data").path("code").asText()).isEqualTo("UNAUTHORIZED");

        assertThat(Http.emit(server, "{\"namespace\":\"/secure\",\"event\":\"news\",\"data\":1}")).isEqualTo(1);
        allowed.awaitEvent("news", WAIT);
        refused.assertNoEvent("news", Duration.ofMillis(300));
        refused.assertNoEvent("connected", Duration.ZERO);
    }

    @Test
    void wrongStaticTokenIsRefusedAndLoggedOnceWithoutTheToken() {
        String wrong = ALL_TOKEN + "-wrong";
        try (CapturedLogs logs = new CapturedLogs()) {
            NodeSocket socket = connect("/secure", ClientOptions.defaults().auth(Map.of("token", wrong))
                    .query(Map.of("userId", "mallory")));
            assertThat(socket.awaitConnectError(WAIT).path("data").path("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(logs.count("connect refused namespace=/secure")).isEqualTo(1);
            assertThat(logs.messages()).noneMatch(m -> m.contains(wrong) || m.contains(ALL_TOKEN));
        }
    }

    @Test
    void scopedStaticTokenOpensOnlyItsNamespaces() {
        connect("/secure2", ClientOptions.defaults().auth(Map.of("token", SCOPED_TOKEN))).awaitConnect(WAIT);
        NodeSocket other = connect("/secure", ClientOptions.defaults().auth(Map.of("token", SCOPED_TOKEN)));
        JsonNode error = other.awaitConnectError(WAIT);
        assertThat(error.path("data").path("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(error.path("message").asText()).contains("/secure");
    }

    @Test
    void jwtGrantingTheNamespaceIsAccepted_inAuthAndInTheAuthorizationHeader() {
        String token = jwt(Map.of("sub", "alice", "namespaces", List.of("/secure"), "exp", nowSeconds() + 60));
        connect("/secure", ClientOptions.defaults().auth(Map.of("token", token))).awaitConnect(WAIT);
        connect("/secure", ClientOptions.defaults().transports("polling")
                .extraHeaders(Map.of("Authorization", "Bearer " + token))).awaitConnect(WAIT);
    }

    @Test
    void jwtForAnotherNamespaceIsForbidden() {
        String token = jwt(Map.of("sub", "bob", "namespaces", List.of("/secure2")));
        JsonNode error = connect("/secure", ClientOptions.defaults().auth(Map.of("token", token))).awaitConnectError(WAIT);
        assertThat(error.path("data").path("code").asText()).isEqualTo("FORBIDDEN");
    }

    @Test
    void expiredOrForgedJwtIsRefused() {
        String expired = jwt(Map.of("namespaces", List.of("*"), "exp", nowSeconds() - 3600));
        JsonNode error = connect("/secure", ClientOptions.defaults().auth(Map.of("token", expired))).awaitConnectError(WAIT);
        assertThat(error.path("message").asText()).isEqualTo("invalid token: token expired");
        String forged = TestJwt.hs256("another-secret-that-is-32-bytes-long!!".getBytes(StandardCharsets.UTF_8),
                Map.of("namespaces", List.of("*")));
        error = connect("/secure", ClientOptions.defaults().auth(Map.of("token", forged))).awaitConnectError(WAIT);
        assertThat(error.path("message").asText()).isEqualTo("invalid token: bad signature");
    }

    @Test
    void jwtSubjectIsTheUserRoomAndAConflictingUserIdIsRefused() {
        String token = jwt(Map.of("sub", "carol", "namespaces", List.of("*")));
        NodeSocket carol = connect("/secure", ClientOptions.defaults().auth(Map.of("token", token)));
        carol.awaitConnect(WAIT);
        JsonNode me = carol.emitWithAck("whoami", WAIT).get(0);
        assertThat(me.path("dataUserId").asText()).isEqualTo("carol");
        assertThat(me.path("rooms").toString()).contains("user:carol");

        NodeSocket impostor = connect("/secure", ClientOptions.defaults().auth(Map.of("token", token))
                .query(Map.of("userId", "dave")));
        assertThat(impostor.awaitConnectError(WAIT).path("data").path("code").asText()).isEqualTo("FORBIDDEN");
    }

    private static NodeSocket connect(String namespace, ClientOptions options) {
        return driver.connect(TestServers.url(server), namespace, options);
    }

    private static String jwt(Map<String, ?> claims) {
        return TestJwt.hs256(JWT_SECRET.getBytes(StandardCharsets.UTF_8), claims);
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
