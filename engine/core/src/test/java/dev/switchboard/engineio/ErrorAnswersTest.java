package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.testkit.RawWebSocket;

/** Every Engine.IO error answer, as Node's engine.io gives them. */
class ErrorAnswersTest {
    private TestEngine engine;
    private PollingClient client;

    @BeforeEach
    void start() {
        engine = new TestEngine(TestEngine.fastOptions().allowEio3(false)
                .corsOrigins(java.util.List.of("http://allowed.test")).build());
        client = new PollingClient(engine.port());
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private static void assertError(HttpResponse<String> r, int status, int code, String message) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("{\"code\":" + code + ",\"message\":\"" + message + "\"}");
    }

    @Test
    void transportUnknown() throws Exception {
        assertError(client.get("EIO=4&transport=carrier-pigeon"), 400, 0, "Transport unknown");
        assertError(client.get("EIO=4"), 400, 0, "Transport unknown");
    }

    @Test
    void sessionIdUnknown() throws Exception {
        assertError(client.get("EIO=4&transport=polling&sid=made-up"), 400, 1, "Session ID unknown");
        assertError(client.post("EIO=4&transport=polling&sid=made-up", "4x"), 400, 1, "Session ID unknown");
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), TestEngine.PATH + "?EIO=4&transport=websocket&sid=made-up", Map.of())) {
            assertThat(ws.handshake.status()).isEqualTo(400);
            assertThat(ws.handshake.body()).contains("\"code\":1");
        }
    }

    @Test
    void badHandshakeMethod() throws Exception {
        assertError(client.post("EIO=4&transport=polling", "4x"), 400, 2, "Bad handshake method");
    }

    @Test
    void badRequest() throws Exception {
        // websocket transport without an upgrade
        assertError(client.get("EIO=4&transport=websocket"), 400, 3, "Bad request");
        // a polling session addressed as websocket without upgrade
        String sid = client.handshake().get("sid").asText();
        assertError(client.get("EIO=4&transport=websocket&sid=" + sid), 400, 3, "Bad request");
    }

    @Test
    void forbiddenOrigin() throws Exception {
        HttpResponse<String> r = PollingClient.HTTP.send(java.net.http.HttpRequest.newBuilder(
                client.uri("EIO=4&transport=polling")).header("Origin", "http://evil.test").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(r, 403, 4, "Forbidden");
    }

    @Test
    void unsupportedProtocolVersion() throws Exception {
        assertError(client.get("EIO=5&transport=polling"), 400, 5, "Unsupported protocol version");
        assertError(client.get("EIO=3&transport=polling"), 400, 5, "Unsupported protocol version");
        assertError(client.get("transport=polling"), 400, 5, "Unsupported protocol version");
    }
}
