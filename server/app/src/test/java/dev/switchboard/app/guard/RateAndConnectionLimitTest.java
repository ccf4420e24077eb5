package dev.switchboard.app.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.app.EchoNamespace;
import dev.switchboard.app.Http;
import dev.switchboard.app.SwitchboardServer;
import dev.switchboard.app.TestServers;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/** The per-socket event rate limit and the per-IP connection limit, seen by the real client. */
class RateAndConnectionLimitTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private SwitchboardServer server;
    private EchoNamespace echo;
    private NodeClientDriver driver;

    @BeforeEach
    void start() {
        echo = new EchoNamespace("/echo");
        server = TestServers.start(Map.of(
                "RATE_LIMIT_EVENTS_PER_SEC", "5",
                "RATE_LIMIT_BURST", "5",
                "RATE_LIMIT_DISCONNECT_AFTER_SEC", "2",
                "MAX_CONNECTIONS_PER_IP", "2",
                "MAX_PAYLOAD_BYTES", "4096"), List.of(echo));
        driver = NodeClientDriver.start();
    }

    @AfterEach
    void stop() {
        driver.close();
        server.close();
    }

    @Test
    void excessEventsAreDroppedWithOneRateLimitedErrorAndOthersAreUnaffected() {
        NodeSocket flooder = connect();
        NodeSocket quiet = connect();
        for (int i = 0; i < 40; i++) {
            flooder.emit("ping", i);
        }
        JsonNode error = flooder.awaitEvent("error", WAIT).get(0);
        assertThat(error.path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(error.path("event").asText()).isEqualTo("ping");
        assertThat(echo.handledPings()).isBetween(5, 39);
        // counted after the interceptor sent the error (the refusal is tracked once the interceptor threw)
        Await.until(() -> server.metrics().refusalCount("rate_limited") > 0, WAIT, "the refusal counted");

        quiet.emit("ping", "still here");
        assertThat(quiet.awaitEvent("pong", WAIT).get(0).asText()).isEqualTo("still here");
        quiet.assertNoEvent("error", Duration.ZERO);
    }

    @Test
    void droppedEventsAreAckedAsRateLimitedAndSustainedAbuseIsDisconnected() {
        NodeSocket flooder = connect();
        int rateLimitedAcks = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        // each emit waits for its ack (the handler's, or the limiter's refusal): paced by the server, no sleep
        while (flooder.lifecycle("disconnect").isEmpty() && System.nanoTime() < deadline) {
            JsonNode ack;
            try {
                ack = flooder.emitWithAck("ping", Duration.ofSeconds(2), "flood").get(0);
            } catch (AssertionError | RuntimeException noAckOnceDisconnected) {
                break;
            }
            if ("RATE_LIMITED".equals(ack.path("code").asText())) {
                rateLimitedAcks++;
                assertThat(ack.path("ok").asBoolean(true)).isFalse();
            }
        }
        assertThat(flooder.awaitDisconnect(WAIT)).isEqualTo("io server disconnect");
        assertThat(rateLimitedAcks).isPositive();
        assertThat(flooder.events("error")).anySatisfy(args ->
                assertThat(args.get(0).path("message").asText()).contains("disconnecting"));
    }

    @Test
    void perIpConnectionLimitRefusesTheThirdAndFreesTheSlotOnDisconnect() {
        NodeSocket first = connect();
        connect();
        NodeSocket third = driver.connect(TestServers.url(server), "/echo", ClientOptions.defaults());
        JsonNode refused = third.awaitConnectError(WAIT);
        assertThat(refused.path("data").path("code").asText()).isEqualTo("TOO_MANY_CONNECTIONS");
        assertThat(server.metrics().refusalCount("ip_limit")).isEqualTo(1);

        first.disconnect();
        Await.until(() -> Http.get(server.apiPort(), "/health").json().path("connections").path("echo").asInt() == 1,
                WAIT, "first socket gone");
        connect();
    }

    @Test
    void messageOverMaxPayloadClosesTheConnectionAndNeverReachesTheHandler() {
        NodeSocket socket = driver.connect(TestServers.url(server), "/echo", ClientOptions.defaults()
                .transports("websocket").reconnection(false));
        socket.awaitConnect(WAIT);
        socket.emit("ping", "x".repeat(10_000));
        assertThat(socket.awaitDisconnect(WAIT)).startsWith("transport");
        assertThat(echo.handledPings()).isZero();
    }

    private NodeSocket connect() {
        NodeSocket socket = driver.connect(TestServers.url(server), "/echo", ClientOptions.defaults());
        socket.awaitConnect(WAIT);
        socket.awaitEvent("connected", WAIT);
        return socket;
    }
}
