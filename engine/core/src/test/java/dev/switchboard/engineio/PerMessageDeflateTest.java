package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

import dev.switchboard.testkit.RawWebSocket;

class PerMessageDeflateTest {
    private static final Duration T = Duration.ofSeconds(15); // a deadline, not a pause: generous for a loaded machine
    private static final String WS = TestEngine.PATH + "?EIO=4&transport=websocket";
    private static final Map<String, String> OFFER = Map.of("Sec-WebSocket-Extensions", "permessage-deflate");

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) out.write(buf, 0, n);
        d.end();
        byte[] all = out.toByteArray();
        return Arrays.copyOf(all, all.length - 4); // drop the 00 00 ff ff tail (RFC 7692)
    }

    static byte[] inflate(byte[] data) throws Exception {
        Inflater inf = new Inflater(true);
        byte[] in = Arrays.copyOf(data, data.length + 4);
        in[data.length + 2] = (byte) 0xFF;
        in[data.length + 3] = (byte) 0xFF;
        inf.setInput(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = inf.inflate(buf)) > 0) out.write(buf, 0, n);
        inf.end();
        return out.toByteArray();
    }

    @Test
    void offDeclinesTheExtension() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().build());
             RawWebSocket ws = RawWebSocket.connect(engine.port(), WS, OFFER)) {
            assertThat(ws.handshake.status()).isEqualTo(101);
            assertThat(ws.handshake.headers()).doesNotContainKey("sec-websocket-extensions");
        }
    }

    @Test
    void compressedMessagesWorkAndInflationIsBounded() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().perMessageDeflate(true)
                .maxInflatedMessage(10_000).build())) {
            try (RawWebSocket ws = RawWebSocket.connect(engine.port(), WS, OFFER)) {
                assertThat(ws.handshake.headers().get("sec-websocket-extensions")).contains("permessage-deflate");
                RawWebSocket.Frame open = ws.read(T);
                String openText = new String(open.rsv1() ? inflate(open.data()) : open.data(), StandardCharsets.UTF_8);
                assertThat(openText).startsWith("0{");
                ws.sendFrame(RawWebSocket.TEXT, deflate("4squeezed".getBytes(StandardCharsets.UTF_8)), true, true);
                RawWebSocket.Frame echo = ws.read(T);
                assertThat(new String(echo.rsv1() ? inflate(echo.data()) : echo.data(), StandardCharsets.UTF_8))
                        .isEqualTo("4squeezed");
            }
            try (RawWebSocket ws = RawWebSocket.connect(engine.port(), WS, OFFER)) {
                RawWebSocket.Frame open = ws.read(T);
                String sid = PollingClient.JSON.readTree(new String(open.rsv1() ? inflate(open.data()) : open.data(),
                        StandardCharsets.UTF_8).substring(1)).get("sid").asText();
                byte[] bomb = deflate(("4" + "0".repeat(200_000)).getBytes(StandardCharsets.UTF_8));
                assertThat(bomb.length).isLessThan(2_000);
                ws.sendFrame(RawWebSocket.TEXT, bomb, true, true);
                assertThat(ws.awaitClosed(T)).isTrue();
                assertThat(engine.awaitClose(sid, T)).isEqualTo("transport error");
                assertThat(engine.received.get(sid)).isEmpty();
            }
        }
    }
}
