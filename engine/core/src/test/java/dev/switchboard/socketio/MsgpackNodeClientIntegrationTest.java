package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.socketio.parser.SocketIoParser;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.ServerEvent;

/**
 * The real socket.io-client 4.8 built with socket.io-msgpack-parser 3.0.2 (through the test kit's driver) against
 * a SocketIoServer with {@link SocketIoParser#MSGPACK}, on every transport: two namespaces on one connection,
 * acks both ways, binary both ways, room broadcasts, connect errors.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MsgpackNodeClientIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static NodeClientDriver driver;
    /** One per test: socket counts start at zero, and the client's per-URL connection cache starts empty. */
    private DemoServer server;

    @BeforeAll
    static void startDriver() {
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stopDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    @BeforeEach
    void startServer() {
        server = new DemoServer(SocketIoParser.MSGPACK);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static ClientOptions msgpack(String transport) {
        ClientOptions options = ClientOptions.defaults().parser("msgpack").reconnection(false);
        return switch (transport) {
            case "websocket" -> options.transports("websocket");
            case "polling" -> options.transports("polling");
            default -> options;
        };
    }

    private static byte[] bytes(JsonNode binary) {
        return Base64.getDecoder().decode(binary.get("$binary").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket", "default"})
    void twoNamespacesAcksAndBinaryBothWays(String transport) {
        // one connection (forceNew off) carries both namespaces
        NodeSocket main = driver.connect(server.url(), "/", msgpack(transport).forceNew(false));
        NodeSocket secure = driver.connect(server.url(), "/secure",
                msgpack(transport).forceNew(false).auth(Map.of("token", "letmein")));
        String sid = main.awaitConnect(WAIT).path("sid").asText();
        secure.awaitConnect(WAIT);
        assertThat(main.state().path("engineId").asText()).isEqualTo(secure.state().path("engineId").asText());
        assertThat(main.awaitEvent("welcome", WAIT).get(0).asText()).isEqualTo(sid);

        // client -> server with ack, on both namespaces
        assertThat(main.emitWithAck("echo", WAIT, "hi", 42, 1.5, Map.of("nested", true)).toString())
                .isEqualTo("[\"hi\",42,1.5,{\"nested\":true}]");
        assertThat(secure.emitWithAck("echo", WAIT, "on /secure").get(0).asText()).isEqualTo("on /secure");

        // binary up (a Buffer), back in the ack and nested in a server event
        byte[] payload = new byte[3000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        byte[] reversed = bytes(main.emitWithAck("binary", WAIT, (Object) payload).get(0));
        assertThat(reversed).hasSize(3000);
        assertThat(reversed[0]).isEqualTo(payload[2999]);
        JsonNode back = main.awaitEvent("binary-back", WAIT).get(0);
        assertThat(back.get("length").asInt()).isEqualTo(3000);
        assertThat(bytes(back.get("bytes"))).isEqualTo(reversed);

        // server -> client with ack
        main.emit("ask", "ready?");
        ServerEvent question = main.awaitServerEvent("question", a -> true, 1, WAIT);
        assertThat(question.wantsAck()).isTrue();
        assertThat(question.arg(0).asText()).isEqualTo("ready?");
        question.ack("yes", 1);
        assertThat(main.awaitEvent("asked", WAIT).get(0).asText()).isEqualTo("[\"yes\", 1]");

        if (transport.equals("default")) { // after the upgrade, binary over the WebSocket too
            Await.until(() -> "websocket".equals(main.state().path("transport").asText()), WAIT, "upgrade");
            assertThat(bytes(main.emitWithAck("binary", WAIT, (Object) new byte[] {1, 2}).get(0))).containsExactly(2, 1);
        }
        secure.disconnect();
        main.disconnect();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket", "default"})
    void roomBroadcastsWithBinaryReachTheMembersOnly(String transport) {
        NodeSocket a = driver.connect(server.url(), "/", msgpack("websocket"));
        NodeSocket b = driver.connect(server.url(), "/", msgpack(transport));
        NodeSocket c = driver.connect(server.url(), "/", msgpack(transport));
        a.awaitConnect(WAIT);
        b.awaitConnect(WAIT);
        c.awaitConnect(WAIT);
        String room = "blue-" + transport;
        a.emitWithAck("join", WAIT, room);
        b.emitWithAck("join", WAIT, room);
        assertThat(c.emitWithAck("shout", WAIT, room, Map.of("bin", new byte[] {1, 2, 3}, "n", 7)).get(0).asInt())
                .isEqualTo(2);
        for (NodeSocket member : new NodeSocket[] {a, b}) {
            JsonNode shouted = member.awaitEvent("shouted", WAIT).get(0);
            assertThat(bytes(shouted.get("bin"))).containsExactly(1, 2, 3);
            assertThat(shouted.get("n").asInt()).isEqualTo(7);
        }
        c.assertNoEvent("shouted", Duration.ofMillis(300));
        a.disconnect();
        b.disconnect();
        c.disconnect();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket", "default"})
    void connectErrorsArriveWithTheirDataAndTheRefusedSocketGetsNoBroadcast(String transport) {
        NodeSocket refused = driver.connect(server.url(), "/secure", msgpack(transport).auth(Map.of("token", "wrong")));
        JsonNode error = refused.awaitConnectError(WAIT);
        assertThat(error.path("message").asText()).isEqualTo("unauthorized");
        assertThat(error.path("data").path("reason").asText()).isEqualTo("bad token");

        NodeSocket unknown = driver.connect(server.url(), "/does-not-exist", msgpack(transport));
        assertThat(unknown.awaitConnectError(WAIT).path("message").asText()).isEqualTo("Invalid namespace");

        NodeSocket member = driver.connect(server.url(), "/secure", msgpack(transport).auth(Map.of("token", "letmein")));
        member.awaitConnect(WAIT);
        NodeSocket main = driver.connect(server.url(), "/", msgpack(transport));
        main.awaitConnect(WAIT);
        assertThat(main.emitWithAck("shout-all-secure", WAIT, "hello").get(0).asInt()).isEqualTo(1);
        assertThat(member.awaitEvent("news", WAIT).get(0).asText()).isEqualTo("hello");
        refused.assertNoEvent("news", Duration.ofMillis(300));
        refused.disconnect();
        unknown.disconnect();
        member.disconnect();
        main.disconnect();
    }

    @Test
    void aClientWithTheBuiltInParserIsClosedNotServed() {
        NodeSocket plain = driver.connect(server.url(), "/", ClientOptions.defaults().reconnection(false)
                .transports("websocket"));
        plain.awaitLifecycle("transport_close", 1, WAIT);
        plain.assertNoEvent("welcome", Duration.ofMillis(300));
        assertThat(plain.state().path("connected").asBoolean()).isFalse();
        plain.disconnect();
    }

    @Test
    void theMsgpackParserRefusesEngineIoV3() {
        assertThatThrownBy(() -> SocketIoServer.builder()
                .engine(EngineIoOptions.builder().port(0).allowEio3(true).build())
                .parser(SocketIoParser.MSGPACK).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowEio3(false)");
    }
}
