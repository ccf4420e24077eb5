package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.RawWebSocket;

/**
 * A CONNECT's auth payload is kept by its socket for as long as it is connected (handlers read it): like the
 * handshake's headers, it is held to maxHandshakeBytes (8 KiB). Without that bound a client kept up to maxPayload
 * (1 MB) of JSON tree per namespace socket: tens of MB of heap for an object of many small fields.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectAuthBoundTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aConnectWithAnAuthPayloadOverTheHandshakeBoundIsRefusedAndTheSessionStaysUsable() throws Exception {
        AtomicReference<JsonNode> seenAuth = new AtomicReference<>();
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .build()) {
            io.of("/work").onConnection(socket -> seenAuth.set(socket.handshake().auth()));
            io.start();
            try (RawWebSocket ws = RawWebSocket.engineIo(io.port())) {
                ws.awaitOpen();
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = 0; i < 20_000; i++) { // ~200 KB: within maxPayload, far over the handshake bound
                    fields.put("k" + i, "v");
                }
                ws.sendText("40/work," + JSON.writeValueAsString(fields));
                String refusal = ws.nextText();
                assertThat(refusal).startsWith("44/work,").contains("\"code\":\"PAYLOAD_TOO_LARGE\"");
                assertThat(seenAuth.get()).as("no socket admitted with it").isNull();

                String token = "t".repeat(4000); // a large JWT still fits
                ws.sendText("40/work," + JSON.writeValueAsString(Map.of("token", token)));
                assertThat(ws.nextText()).startsWith("40/work,{\"sid\"");
                Await.until(() -> seenAuth.get() != null, Duration.ofSeconds(10), "the connection handler ran");
                assertThat(seenAuth.get().path("token").asText()).isEqualTo(token);
            }
        }
    }
}
