package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.ServerEvent;
import dev.switchboard.testkit.Await;

/** The real Node socket.io-client 4.8 (through the test kit's driver) against a real SocketIoServer. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeClientIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static DemoServer server;
    private static NodeClientDriver driver;

    @BeforeAll
    static void start() {
        server = new DemoServer();
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static ClientOptions transport(String mode) {
        ClientOptions options = ClientOptions.defaults().reconnection(false);
        return switch (mode) {
            case "websocket" -> options.transports("websocket");
            case "polling" -> options.transports("polling");
            default -> options;
        };
    }

    private static byte[] bytes(JsonNode binary) {
        return Base64.getDecoder().decode(binary.get("$binary").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling", "default"})
    void eventsAcksAndBinaryBothWays(String mode) {
        NodeSocket socket = driver.connect(server.url(), "/", transport(mode));
        JsonNode connect = socket.awaitConnect(WAIT);
        String socketId = connect.path("sid").asText();
        assertThat(socket.awaitEvent("welcome", WAIT).get(0).asText()).isEqualTo(socketId);
        assertThat(socketId).isNotEqualTo(socket.state().path("engineId").asText());

        // client -> server with ack
        JsonNode echoed = socket.emitWithAck("echo", WAIT, "hi", 42, Map.of("nested", true));
        assertThat(echoed.toString()).isEqualTo("[\"hi\",42,{\"nested\":true}]");

        // binary both directions: upload, ack with bytes, server event with bytes nested in an object
        byte[] payload = new byte[3000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        JsonNode ack = socket.emitWithAck("binary", WAIT, (Object) payload);
        byte[] reversed = bytes(ack.get(0));
        assertThat(reversed).hasSize(3000);
        assertThat(reversed[0]).isEqualTo(payload[2999]);
        JsonNode back = socket.awaitEvent("binary-back", WAIT).get(0);
        assertThat(back.get("length").asInt()).isEqualTo(3000);
        assertThat(bytes(back.get("bytes"))).isEqualTo(reversed);

        // server -> client with ack
        socket.emit("ask", "ready?");
        ServerEvent question = socket.awaitServerEvent("question", a -> true, 1, WAIT);
        assertThat(question.wantsAck()).isTrue();
        assertThat(question.arg(0).asText()).isEqualTo("ready?");
        question.ack("yes", 1);
        assertThat(socket.awaitEvent("asked", WAIT).get(0).asText()).isEqualTo("[\"yes\", 1]");

        socket.disconnect();
        assertThat(pollReason()).isEqualTo("/:client namespace disconnect");
    }

    private static String pollReason() {
        try {
            return server.disconnects.poll(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void fiveHundredDefaultTransportConnectsInARowWithoutAStall() {
        int before = server.io.of("/").socketCount();
        int stalls = 0;
        long started = System.nanoTime();
        for (int i = 0; i < 500; i++) {
            NodeSocket socket = driver.connect(server.url(), "/", ClientOptions.defaults().reconnection(false));
            try {
                socket.awaitConnect(Duration.ofSeconds(5));
                socket.awaitEvent("welcome", Duration.ofSeconds(5));
            } catch (AssertionError stall) {
                stalls++;
            }
            socket.disconnect();
            assertThat(System.nanoTime() - started).as("500 connects within 100 s")
                    .isLessThan(Duration.ofSeconds(100).toNanos());
        }
        assertThat(stalls).isZero();
        Await.until(() -> server.io.of("/").socketCount() <= before, WAIT,
                "all 500 sockets gone, left: " + server.io.of("/").sockets());
        server.disconnects.clear();
    }

    @Test
    void upgradedConnectionKeepsWorkingAfterTheUpgrade() {
        NodeSocket socket = driver.connect(server.url(), "/", ClientOptions.defaults().reconnection(false));
        socket.awaitConnect(WAIT);
        Await.until(() -> "websocket".equals(socket.state().path("transport").asText()), WAIT, "upgrade to websocket");
        for (int i = 0; i < 20; i++) {
            assertThat(socket.emitWithAck("echo", WAIT, i).get(0).asInt()).isEqualTo(i);
        }
        socket.disconnect();
    }

    @Test
    void authAcceptedAndRefusedAndTheRefusedClientGetsNoBroadcast() {
        NodeSocket refused = driver.connect(server.url(), "/secure",
                ClientOptions.defaults().reconnection(false).auth(Map.of("token", "wrong")));
        JsonNode error = refused.awaitConnectError(WAIT);
        assertThat(error.path("message").asText()).isEqualTo("unauthorized");
        assertThat(error.path("data").path("reason").asText()).isEqualTo("bad token");

        NodeSocket accepted = driver.connect(server.url(), "/secure",
                ClientOptions.defaults().reconnection(false).auth(Map.of("token", "letmein")));
        accepted.awaitConnect(WAIT);
        assertThat(accepted.emitWithAck("echo", WAIT, "x").get(0).asText()).isEqualTo("x");
        assertThat(server.io.of("/secure").socketCount()).isEqualTo(1);

        NodeSocket main = driver.connect(server.url(), "/", ClientOptions.defaults().reconnection(false));
        main.awaitConnect(WAIT);
        assertThat(main.emitWithAck("shout-all-secure", WAIT, "hello").get(0).asInt()).isEqualTo(1);
        assertThat(accepted.awaitEvent("news", WAIT).get(0).asText()).isEqualTo("hello");
        refused.assertNoEvent("news", Duration.ofMillis(500));

        accepted.disconnect();
        main.disconnect();
        refused.disconnect();
    }

    @Test
    void unknownNamespaceIsRefused() {
        NodeSocket socket = driver.connect(server.url(), "/does-not-exist", ClientOptions.defaults().reconnection(false));
        assertThat(socket.awaitConnectError(WAIT).path("message").asText()).isEqualTo("Invalid namespace");
        socket.disconnect();
    }

    @Test
    void roomsBroadcastToMembersOnly() {
        NodeSocket a = driver.connect(server.url(), "/", ClientOptions.defaults().reconnection(false).transports("websocket"));
        NodeSocket b = driver.connect(server.url(), "/", ClientOptions.defaults().reconnection(false).transports("polling"));
        NodeSocket c = driver.connect(server.url(), "/", ClientOptions.defaults().reconnection(false));
        a.awaitConnect(WAIT);
        b.awaitConnect(WAIT);
        c.awaitConnect(WAIT);
        a.emitWithAck("join", WAIT, "blue");
        b.emitWithAck("join", WAIT, "blue");
        assertThat(c.emitWithAck("shout", WAIT, "blue", Map.of("bin", Map.of("$binary", "AQID"))).get(0).asInt())
                .isEqualTo(2);
        assertThat(bytes(a.awaitEvent("shouted", WAIT).get(0).get("bin"))).containsExactly(1, 2, 3);
        assertThat(bytes(b.awaitEvent("shouted", WAIT).get(0).get("bin"))).containsExactly(1, 2, 3);
        c.assertNoEvent("shouted", Duration.ofMillis(300));
        a.disconnect();
        b.disconnect();
        c.disconnect();
    }

    @Test
    void socketIoV2AndV3ClientsConnect() {
        NodeSocket v3 = driver.connect(server.url(), "/", ClientOptions.defaults().reconnection(false).version("v3"));
        v3.awaitConnect(WAIT);
        assertThat(v3.emitWithAck("echo", WAIT, "v3").get(0).asText()).isEqualTo("v3");
        v3.disconnect();

        NodeSocket v2 = driver.connect(server.url(), "/", ClientOptions.defaults().reconnection(false).version("v2"));
        v2.awaitConnect(WAIT);
        assertThat(v2.emitWithAck("echo", WAIT, "v2").get(0).asText()).isEqualTo("v2");
        JsonNode ack = v2.emitWithAck("binary", WAIT, (Object) new byte[] {1, 2, 3});
        assertThat(bytes(ack.get(0))).containsExactly(3, 2, 1);
        v2.disconnect();

        NodeSocket v2refused = driver.connect(server.url(), "/secure", ClientOptions.defaults().reconnection(false)
                .version("v2").query(Map.of("token", "nope")));
        JsonNode error = v2refused.awaitConnectError(WAIT);
        assertThat(error.toString()).contains("bad token");
        v2refused.disconnect();

        NodeSocket v2accepted = driver.connect(server.url(), "/secure", ClientOptions.defaults().reconnection(false)
                .version("v2").query(Map.of("token", "letmein")));
        v2accepted.awaitConnect(WAIT);
        assertThat(v2accepted.emitWithAck("echo", WAIT, "ok").get(0).asText()).isEqualTo("ok");
        v2accepted.disconnect();
    }
}
