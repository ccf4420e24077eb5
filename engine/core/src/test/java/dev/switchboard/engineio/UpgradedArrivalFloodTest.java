package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.RawWebSocket;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A session opened over polling and upgraded to a WebSocket read by another I/O loop: every frame that loop reads
 * is queued for the session's loop. A client flooding tiny frames while the session's loop is busy queued one task
 * per frame (objects of ~100 bytes for 7 wire bytes) without a bound in count. Bounded: the flood here is 40,000
 * frames, four times the default bound.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpgradedArrivalFloodTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final int FLOOD = 40_000;
    private BusySessionLoop busy;
    private TestEngine engine;

    @AfterEach
    void stop() {
        if (busy != null) busy.close();
    }

    @Test
    void tinyFramesQueuedForABusySessionLoopEndTheSessionPastTheBound() throws Exception {
        busy = new BusySessionLoop(T);
        engine = busy.engine;
        PollingClient polling = new PollingClient(engine.port());
        String sid = polling.handshake().get("sid").asText(); // the first connection: the session's loop
        EngineSocket socket = engine.nextConnection();
        // the second connection goes to the other loop (round robin over two)
        try (RawWebSocket ws = RawWebSocket.to(engine.port())
                .path(TestEngine.PATH + "?EIO=4&transport=websocket&sid=" + sid).receiveBuffer(4096).open()) {
            ws.sendText("2probe");
            assertThat(ws.nextText()).isEqualTo("3probe");
            ws.sendText("5");
            Await.until(() -> "websocket".equals(socket.transportName()), T, "upgraded");
            ws.sendText("4block");
            assertThat(busy.awaitBlocked(T)).as("session loop busy").isTrue();

            byte[] tiny = "4".getBytes(StandardCharsets.US_ASCII);
            int sent = 0;
            try {
                for (; sent < FLOOD; sent++) ws.sendFrame(RawWebSocket.TEXT, tiny, true);
            } catch (IOException closedByTheServer) {
                // the server may close while the flood is on its way
            }
            assertThat(closeFrameWithin(ws, T))
                    .as("the server closed the WebSocket while the session's loop was still busy (%d frames sent)", sent)
                    .isTrue();
            busy.release();
            assertThat(engine.awaitClose(sid, T)).isEqualTo("transport error");
            assertThat(busy.delivered.get()).as("messages the session took").isLessThanOrEqualTo(10_001);
        }
    }

    /** True once a close frame or the end of the stream arrives within the timeout. */
    private static boolean closeFrameWithin(RawWebSocket ws, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                RawWebSocket.Frame f = ws.read(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (f.opcode() == RawWebSocket.CLOSE) return true;
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException endOfStream) {
            return true;
        }
    }
}
