package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/** SOCKETIO_PARSER=msgpack: the shipped server speaks socket.io-msgpack-parser, and POST /emit reaches its clients. */
class MsgpackParserAppTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void msgpackClientsConnectJoinAndReceiveEmitsWhileV2ClientsAreRefusedAtTheHandshake() {
        try (SwitchboardServer server = TestServers.start(Map.of("SOCKETIO_PARSER", "msgpack"),
                List.of(new EchoNamespace("/chat")));
             NodeClientDriver driver = NodeClientDriver.start()) {
            NodeSocket polling = driver.connect(TestServers.url(server), "/chat",
                    ClientOptions.defaults().parser("msgpack").transports("polling"));
            NodeSocket websocket = driver.connect(TestServers.url(server), "/chat",
                    ClientOptions.defaults().parser("msgpack").transports("websocket"));
            for (NodeSocket socket : List.of(polling, websocket)) {
                socket.awaitConnect(WAIT);
                assertThat(socket.awaitEvent("connected", WAIT).get(0).path("namespace").asText()).isEqualTo("/chat");
                assertThat(socket.emitWithAck("join", WAIT, "room-1").get(0).asBoolean()).isTrue();
            }

            assertThat(Http.emit(server, "{\"namespace\":\"/chat\",\"room\":\"room-1\",\"event\":\"news\","
                    + "\"data\":{\"n\":1,\"when\":\"now\"}}")).isEqualTo(2);
            for (NodeSocket socket : List.of(polling, websocket)) {
                assertThat(socket.awaitEvent("news", WAIT).get(0).toString()).isEqualTo("{\"n\":1,\"when\":\"now\"}");
            }

            // socket.io-client 2.x (Engine.IO v3) spoke the parser's 2.x format: refused with a clear handshake error
            NodeSocket v2 = driver.connect(TestServers.url(server), "/chat",
                    ClientOptions.defaults().version("v2").reconnection(false).transports("polling"));
            assertThat(v2.awaitConnectError(WAIT).path("message").asText()).isEqualTo("xhr poll error");
            Http.Reply handshake = Http.get(server.wsPort(), "/socket.io/?EIO=3&transport=polling");
            assertThat(handshake.status()).isEqualTo(400);
            assertThat(handshake.json().path("code").asInt()).isEqualTo(5); // Unsupported protocol version
        }
    }
}
