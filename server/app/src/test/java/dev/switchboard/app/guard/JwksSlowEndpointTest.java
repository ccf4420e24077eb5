package dev.switchboard.app.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;

import dev.switchboard.app.EchoNamespace;
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
 * An anonymous client sending handshakes with made-up {@code kid}s while the JWKS endpoint answers slowly (a response
 * trickled byte by byte, never finished): the handler threads every socket shares must stay free for other clients.
 */
class JwksSlowEndpointTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration MIN_REFRESH = Duration.ofMillis(300);
    private static final int FLOOD = 40; // bounded; more than the handler threads of a 2-core machine
    private static final int HANDLER_THREADS = Math.max(16, 8 * Runtime.getRuntime().availableProcessors());

    private static final RSAKey KEY = TestKeys.rsa("key-slow");
    private static JwksServer jwks;
    private static SwitchboardServer server;
    private static NodeClientDriver driver;

    @BeforeAll
    static void start() throws Exception {
        jwks = new JwksServer().publish(List.of(KEY));
        server = TestServers.start(Map.of("JWT_JWKS_URL", jwks.url().toString(),
                "JWT_JWKS_MIN_REFRESH_MS", String.valueOf(MIN_REFRESH.toMillis()),
                "PUBLIC_NAMESPACES", "/open"), EchoNamespace.of("/open", "/secure"));
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(driver, server, jwks);
    }

    @Test
    void handshakesWaitingForATrickledJwksLeaveOtherClientsServed() {
        NodeSocket bystander = driver.connect(TestServers.url(server), "/open", ClientOptions.defaults());
        bystander.awaitConnect(WAIT);
        assertThat(bystander.emitWithAck("ping", WAIT, 0).get(0).asText()).isEqualTo("pong");

        jwks.mode(JwksServer.Mode.TRICKLE);
        Await.until(() -> jwks.sinceLastRequest().compareTo(MIN_REFRESH.plusMillis(100)) > 0, WAIT, "refresh interval");
        int fetches = jwks.requests();
        List<NodeSocket> flood = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
            flood.add(driver.connect(TestServers.url(server), "/secure", ClientOptions.defaults().reconnection(false)
                    .auth(Map.of("token", TestKeys.token(KEY, JWSAlgorithm.RS256, "made-up-" + UUID.randomUUID(),
                            Map.of("namespaces", List.of("/secure"))))))); // signed, but by no kid published
        }
        Await.until(() -> jwks.requests() > fetches, WAIT, "a fetch of the trickling endpoint started");
        // every handshake has been checked or is being checked (as many as handler threads can hold)
        Await.until(() -> refused(flood) + handshakesInJwksKeys() >= Math.min(FLOOD, HANDLER_THREADS), WAIT,
                "the flood's handshakes reached the auth check");

        // the bystander's event is handled at once, not after the fetch (it never finishes by itself)
        long started = System.nanoTime();
        assertThat(bystander.emitWithAck("ping", Duration.ofSeconds(2), 1).get(0).asText()).isEqualTo("pong");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

        // every made-up kid is refused within the fetch's own deadline (5 s, a read in progress may add 2 s)
        for (NodeSocket socket : flood) {
            assertThat(socket.awaitConnectError(WAIT).path("message").asText())
                    .isEqualTo("invalid token: unknown signing key");
        }
        assertThat(jwks.requests() - fetches).isEqualTo(1);
        jwks.mode(JwksServer.Mode.SERVE);
    }

    /**
     * A server just started, its first JWKS fetch still running (clients reconnecting after a restart): with no
     * keys at all there is nothing to answer from, so every handshake waits for that fetch (bounded by its 5 s),
     * not only the first few; socket.io-client does not retry a refused CONNECT by itself.
     */
    @Test
    void handshakesArrivingBeforeTheFirstKeysAllWaitForThem() throws Exception {
        try (JwksServer held = new JwksServer().publish(List.of(KEY)).mode(JwksServer.Mode.HELD);
             SwitchboardServer cold = TestServers.start(Map.of("JWT_JWKS_URL", held.url().toString(),
                     "PUBLIC_NAMESPACES", "/open"), EchoNamespace.of("/open", "/secure"))) {
            List<NodeSocket> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) { // more than the 4 that may wait while keys are at hand
                clients.add(driver.connect(TestServers.url(cold), "/secure", ClientOptions.defaults().reconnection(false)
                        .auth(Map.of("token", TestKeys.token(KEY, JWSAlgorithm.RS256, KEY.getKeyID(),
                                Map.of("namespaces", List.of("/secure")))))));
            }
            Await.until(() -> refused(clients) + handshakesInJwksKeys() >= clients.size(), WAIT,
                    "every handshake reached the auth check");
            held.release();
            for (NodeSocket client : clients) {
                client.awaitConnect(WAIT);
            }
            assertThat(refused(clients)).isZero();
        }
    }

    private static long refused(List<NodeSocket> sockets) {
        return sockets.stream().filter(s -> !s.lifecycle("connect_error").isEmpty()).count();
    }

    /** Handler threads now inside the JWKS key lookup (waiting for or running a fetch). */
    private static long handshakesInJwksKeys() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("sio-worker-"))
                .filter(e -> java.util.Arrays.stream(e.getValue())
                        .anyMatch(frame -> frame.getClassName().endsWith("credentials.JwksKeys")))
                .count();
    }
}
