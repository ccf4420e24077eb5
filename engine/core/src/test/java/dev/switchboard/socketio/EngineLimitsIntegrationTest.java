package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.RawWebSocket;

/** Ping timeout, payload limit and graceful close, seen from the Socket.IO layer (short timeouts, 10 kB limit). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EngineLimitsIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static DemoServer server;
    private static NodeClientDriver driver;

    @BeforeAll
    static void start() {
        server = new DemoServer(engine -> engine.pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(300))
                .maxPayload(10_000));
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.close();
        }
        server.close();
    }

    @Test
    void aSilentClientIsDroppedOnPingTimeout() throws Exception {
        server.disconnects.clear();
        try (RawWebSocket ws = RawWebSocket.engineIoSilent(server.io.port())) {
            ws.awaitOpen();
            ws.sendText("40");
            assertThat(ws.nextText()).startsWith("40{\"sid\":");
            assertThat(server.disconnects.poll(5, TimeUnit.SECONDS)).isEqualTo("/:ping timeout");
            assertThat(ws.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void aClientThatAnswersPingsStays() throws Exception {
        try (RawWebSocket ws = RawWebSocket.engineIo(server.io.port())) {
            ws.awaitOpen();
            ws.sendText("40");
            ws.nextText();
            assertThat(ws.awaitClosed(Duration.ofMillis(1500))).isFalse();
            ws.sendText("421[\"echo\",\"still here\"]");
            String reply;
            do {
                reply = ws.nextText();
            } while (reply.startsWith("42[\"welcome\""));
            assertThat(reply).isEqualTo("431[\"still here\"]");
        }
    }

    @Test
    void oversizeRawFrameClosesTheConnection() throws Exception {
        try (RawWebSocket ws = RawWebSocket.engineIo(server.io.port())) {
            ws.awaitOpen();
            ws.sendText("40");
            ws.nextText();
            ws.sendText("42[\"echo\",\"" + "x".repeat(20_000) + "\"]");
            assertThat(ws.awaitClosed(WAIT)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void oversizeEmitFromTheNodeClientLosesTheConnection(String transport) {
        int before = server.io.of("/").socketCount();
        NodeSocket socket = driver.connect(server.url(), "/",
                ClientOptions.defaults().reconnection(false).transports(transport));
        socket.awaitConnect(WAIT);
        Await.until(() -> server.io.of("/").socketCount() == before + 1, WAIT, "socket admitted");
        socket.emit("echo", "y".repeat(20_000));
        assertThat(socket.awaitDisconnect(WAIT)).isIn("transport close", "transport error");
        Await.until(() -> server.io.of("/").socketCount() == before, WAIT, "socket gone on the server");
        socket.disconnect();
    }

    @Test
    void gracefulCloseClosesTransportsSoClientsReconnect() {
        DemoServer other = new DemoServer();
        try {
            NodeSocket socket = driver.connect(other.url(), "/",
                    ClientOptions.defaults().reconnectionDelay(Duration.ofMillis(100)));
            socket.awaitConnect(WAIT);
            other.io.close(Duration.ofSeconds(3));
            // Not "io server disconnect" (which would stop the client from reconnecting). A client between two
            // long-polls, or still upgrading, finds the port closed on its next request: "transport error", as
            // with the Node server; on an open WebSocket or a pending poll it gets the close: "transport close".
            assertThat(socket.awaitDisconnect(WAIT)).isIn("transport close", "transport error");
            assertThat(other.disconnects.poll(5, TimeUnit.SECONDS)).isEqualTo("/:server shutting down");
            socket.awaitLifecycle("reconnect_attempt", 1, WAIT);
            socket.disconnect();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            other.close();
        }
    }
}
