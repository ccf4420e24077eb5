package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.RawWebSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Engine.IO protocol v3 (socket.io-client 2.x): handshake, payload framing, binary, client-side heartbeat. */
class Eio3Test {
    private static final Duration T = Duration.ofSeconds(15); // a deadline, not a pause: generous for a loaded machine
    private TestEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) engine.close();
    }

    private String handshake(PollingClient c) throws Exception {
        HttpResponse<String> r = c.get("EIO=3&transport=polling");
        assertThat(r.statusCode()).isEqualTo(200);
        String body = r.body();
        int colon = body.indexOf(':');
        String packet = body.substring(colon + 1);
        assertThat(Integer.parseInt(body.substring(0, colon))).isEqualTo(packet.length());
        assertThat(packet).startsWith("0{");
        JsonNode open = PollingClient.JSON.readTree(packet.substring(1));
        assertThat(open.get("upgrades").toString()).isEqualTo("[\"websocket\"]");
        return open.get("sid").asText();
    }

    @Test
    void pollingFramingUsesUtf16LengthsAndBase64Binary() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        PollingClient c = new PollingClient(engine.port());
        String sid = handshake(c);
        String q = "EIO=3&transport=polling&sid=" + sid;
        // "4😀é" is 4 UTF-16 code units (the emoji counts 2)
        assertThat(c.post(q, "4:4😀é6:b4AQID2:4x").body()).isEqualTo("ok");
        Await.until(() -> engine.received.get(sid).size() == 3, T, "3 v3 packets");
        assertThat(engine.received.get(sid)).containsExactly("😀é", "bin:3", "x");
        assertThat(c.get(q).body()).isEqualTo("4:4😀é6:b4AQID2:4x");
    }

    @Test
    void binaryPollingPayloadFromXhr2ClientsIsDecoded() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        PollingClient c = new PollingClient(engine.port());
        String sid = handshake(c);
        // string packet "4hi" (length 3) then binary packet type 4 + {7,8} (length 3)
        byte[] body = {0, 3, (byte) 0xFF, '4', 'h', 'i', 1, 3, (byte) 0xFF, 4, 7, 8};
        assertThat(c.post("EIO=3&transport=polling&sid=" + sid, body, "application/octet-stream").body()).isEqualTo("ok");
        Await.until(() -> engine.received.get(sid).size() == 2, T, "2 packets");
        assertThat(engine.received.get(sid)).containsExactly("hi", "bin:2");
    }

    @Test
    void clientPingsAreAnsweredAndSilenceTimesOut() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().pingInterval(Duration.ofMillis(300))
                .pingTimeout(Duration.ofMillis(1000)).build());
        PollingClient c = new PollingClient(engine.port());
        String sid = handshake(c);
        String q = "EIO=3&transport=polling&sid=" + sid;
        for (int i = 0; i < 3; i++) {
            c.post(q, "1:2");
            assertThat(c.get(q).body()).isEqualTo("1:3");
        }
        // the server never pings a v3 client; silence longer than pingInterval + pingTimeout ends it
        assertThat(engine.awaitClose(sid, T)).isEqualTo("ping timeout");
    }

    @Test
    void webSocketBinaryFramesCarryTheTypeByte() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), TestEngine.PATH + "?EIO=3&transport=websocket", Map.of())) {
            String open = ws.readText(T);
            assertThat(open).startsWith("0{");
            String sid = PollingClient.JSON.readTree(open.substring(1)).get("sid").asText();
            ws.sendBinary(new byte[] {4, 5, 6});
            RawWebSocket.Frame echo = ws.read(T);
            assertThat(echo.opcode()).isEqualTo(RawWebSocket.BINARY);
            assertThat(echo.data()).containsExactly(4, 5, 6);
            assertThat(engine.received.get(sid)).containsExactly("bin:2");
            ws.sendText("2");
            assertThat(ws.readText(T)).isEqualTo("3");
            ws.sendText("4text");
            assertThat(ws.readText(T)).isEqualTo("4text");
        }
    }

    @Test
    void upgradeFromV3Polling() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        PollingClient c = new PollingClient(engine.port());
        String sid = handshake(c);
        EngineSocket socket = engine.nextConnection();
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), TestEngine.PATH + "?EIO=3&transport=websocket&sid=" + sid, Map.of())) {
            ws.sendText("2probe");
            assertThat(ws.readText(T)).isEqualTo("3probe");
            assertThat(c.get("EIO=3&transport=polling&sid=" + sid).body()).isEqualTo("1:6");
            socket.send(EngineMessage.binary(new byte[] {1}));
            ws.sendText("5");
            assertThat(ws.read(T).data()).containsExactly(4, 1);
        }
    }

    @Test
    void jsonpPollingIsRefusedExplicitly() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        HttpResponse<String> r = new PollingClient(engine.port()).get("EIO=3&transport=polling&j=0");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"code\":3,\"message\":\"Bad request\"}");
        assertThat(engine.server.clientsCount()).isZero();
    }
}
