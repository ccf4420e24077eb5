package dev.switchboard.app.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;

import dev.switchboard.app.EchoNamespace;
import dev.switchboard.app.Http;
import dev.switchboard.app.SwitchboardServer;
import dev.switchboard.app.TestServers;
import dev.switchboard.app.credentials.JwksServer;
import dev.switchboard.app.credentials.TestKeys;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.Cleanup;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * JWT_JWKS_URL with the real socket.io-client and a real local JWKS endpoint: the provider rotates from an RSA key to
 * an EC key while clients connect.
 */
class JwksRotationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration MIN_REFRESH = Duration.ofMillis(300);

    private static JwksServer jwks;
    private static SwitchboardServer server;
    private static NodeClientDriver driver;

    @BeforeAll
    static void start() throws Exception {
        jwks = new JwksServer();
        server = TestServers.start(Map.of("JWT_JWKS_URL", jwks.url().toString(),
                "JWT_JWKS_MIN_REFRESH_MS", String.valueOf(MIN_REFRESH.toMillis()),
                "JWT_ISSUER", "https://auth.example"), EchoNamespace.of("/secure"));
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(driver, server, jwks);
    }

    @Test
    void rotationFromKeyAToKeyB_newTokensConnect_oldOnesAreRefused_connectedClientsStay() {
        RSAKey a = TestKeys.rsa("key-a");
        ECKey b = TestKeys.ec("key-b");
        jwks.publish(List.of(a));
        awaitRefreshAllowed();
        int fetches = jwks.requests();

        List<NodeSocket> withA = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            withA.add(connect(token(a, JWSAlgorithm.RS256, "a" + i)));
        }
        withA.forEach(s -> s.awaitConnect(WAIT));
        assertThat(jwks.requests() - fetches).isEqualTo(1);

        jwks.publish(List.of(b)); // rotated: A is gone
        awaitRefreshAllowed();
        List<NodeSocket> withB = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // at once: one fetch serves them all
            withB.add(connect(token(b, JWSAlgorithm.ES256, "b" + i)));
        }
        withB.forEach(s -> s.awaitConnect(WAIT));
        assertThat(jwks.requests() - fetches).isEqualTo(2);

        JsonNode refused = connect(token(a, JWSAlgorithm.RS256, "a-late")).awaitConnectError(WAIT);
        assertThat(refused.path("message").asText()).isEqualTo("invalid token: unknown signing key");
        assertThat(refused.path("data").path("code").asText()).isEqualTo("UNAUTHORIZED");

        // the clients admitted with A stay connected and keep receiving
        assertThat(Http.emit(server, "{\"namespace\":\"/secure\",\"event\":\"news\",\"data\":1}")).isEqualTo(6);
        withA.forEach(s -> s.awaitEvent("news", WAIT));
        withB.forEach(s -> s.awaitEvent("news", WAIT));
        withA.forEach(s -> assertThat(s.lifecycle("disconnect")).isEmpty());
    }

    @Test
    void kidFloodThroughHandshakes_costsAtMostOneFetch() {
        RSAKey real = TestKeys.rsa("key-flood");
        jwks.publish(List.of(real));
        awaitRefreshAllowed();
        int fetches = jwks.requests();
        long started = System.nanoTime();
        List<NodeSocket> flood = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // bounded: 40 handshakes, each with a kid nobody published
            flood.add(connect(TestKeys.token(real, JWSAlgorithm.RS256, "random-" + java.util.UUID.randomUUID(),
                    Map.of("iss", "https://auth.example", "namespaces", List.of("/secure")))));
        }
        for (NodeSocket socket : flood) {
            assertThat(socket.awaitConnectError(WAIT).path("message").asText())
                    .isEqualTo("invalid token: unknown signing key");
        }
        // one fetch per JWT_JWKS_MIN_REFRESH_MS at most, however many unknown kids came (40 here)
        long intervals = Duration.ofNanos(System.nanoTime() - started).toMillis() / MIN_REFRESH.toMillis();
        assertThat(jwks.requests() - fetches).isLessThanOrEqualTo((int) (1 + intervals)).isLessThan(40);
    }

    @Test
    void jwksTokenStillNeedsTheIssuerAndTheNamespace() {
        ECKey c = TestKeys.ec("key-c");
        jwks.publish(List.of(c));
        awaitRefreshAllowed();
        String otherIssuer = TestKeys.token(c, JWSAlgorithm.ES256, Map.of("iss", "https://other.example",
                "namespaces", List.of("/secure")));
        assertThat(connect(otherIssuer).awaitConnectError(WAIT).path("message").asText())
                .isEqualTo("invalid token: wrong issuer");
        String otherNamespace = TestKeys.token(c, JWSAlgorithm.ES256, Map.of("iss", "https://auth.example",
                "namespaces", List.of("/files")));
        assertThat(connect(otherNamespace).awaitConnectError(WAIT).path("data").path("code").asText())
                .isEqualTo("FORBIDDEN");
    }

    /** An unknown kid refreshes the set only once JWT_JWKS_MIN_REFRESH_MS passed since the last fetch. */
    private static void awaitRefreshAllowed() {
        Await.until(() -> jwks.sinceLastRequest().compareTo(MIN_REFRESH.plusMillis(100)) > 0, WAIT, "refresh interval");
    }

    private static String token(com.nimbusds.jose.jwk.JWK key, JWSAlgorithm alg, String subject) {
        return TestKeys.token(key, alg, Map.of("sub", subject, "iss", "https://auth.example",
                "namespaces", List.of("/secure"), "exp", System.currentTimeMillis() / 1000 + 300));
    }

    private static NodeSocket connect(String token) {
        return driver.connect(TestServers.url(server), "/secure",
                ClientOptions.defaults().reconnection(false).auth(Map.of("token", token)));
    }
}
