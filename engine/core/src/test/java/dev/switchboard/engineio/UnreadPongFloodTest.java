package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.RawWebSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pings the server answers by itself (WebSocket ping frames, Engine.IO v3 "2" packets) from a client that never
 * reads the answers: the answers are not messages, so no outbound limit counted them, and they piled up without
 * bound. Every flood here is bounded in count; the server must hold at most about a high water mark of answers.
 */
// a separate thread: these tests write to servers that may stop reading, and a blocked socket write ignores the
// interrupt of the default mode; on timeout the test fails and @AfterEach closes the server, which ends the write
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnreadPongFloodTest {
    private static final Duration T = Duration.ofSeconds(20);
    /** What the server may hold for one connection that reads nothing (its high water mark is 64 KiB). */
    private static final long HELD_BOUND = 1 << 20;
    private TestEngine engine;
    private EngineIoServer routeServer;

    @AfterEach
    void stop() {
        if (engine != null) engine.close();
        if (routeServer != null) routeServer.close();
    }

    /** Sends {@code count} frames, then a message; returns once the server took that message (read all before it). */
    private void floodThenMark(RawWebSocket ws, EngineSocket socket, int opcode, byte[] data, int count)
            throws IOException {
        ws.sendFrames(opcode, data, count);
        ws.sendText("4mark");
        Await.until(() -> engine.received.get(socket.id()).contains("mark") || !socket.isOpen(), T,
                "the flood read up to the mark");
    }

    @Test
    void webSocketPingFramesFromAClientReadingNothingAreNotAnsweredWithoutBound() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        engine.echo = false;
        try (RawWebSocket ws = RawWebSocket.to(engine.port()).path(TestEngine.PATH + "?EIO=4&transport=websocket")
                .receiveBuffer(4096).open()) {
            ws.awaitOpen();
            EngineSocket socket = engine.nextConnection();
            floodThenMark(ws, socket, RawWebSocket.PING, new byte[125], 200_000); // 25 MB of pong payloads asked for
            assertThat(socket.bufferedBytes()).as("pong bytes the server holds for a client reading nothing")
                    .isLessThan(HELD_BOUND);
        }
    }

    @Test
    void engineIoV3PingsOverAWebSocketReadingNothingEndTheSessionAsASlowConsumer() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        try (RawWebSocket ws = RawWebSocket.to(engine.port()).path(TestEngine.PATH + "?EIO=3&transport=websocket")
                .receiveBuffer(4096).open()) {
            ws.awaitOpen();
            EngineSocket socket = engine.nextConnection();
            byte[] ping = "2".getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 2_000 && socket.isOpen(); i++) ws.sendFrames(RawWebSocket.TEXT, ping, 1_000);
            } catch (IOException closedByTheServer) {
                // the point of the test
            }
            assertThat(engine.awaitClose(socket.id(), T)).isEqualTo(EngineSocket.SLOW_CONSUMER);
        }
    }

    @Test
    void pingFramesOnAPlainWebSocketRouteReadingNothingAreNotAnsweredWithoutBound() throws Exception {
        java.util.concurrent.BlockingQueue<Boolean> sent = new java.util.concurrent.LinkedBlockingQueue<>();
        EngineIoServer server = routeServer = EngineIoServer.create(TestEngine.fastOptions().host("127.0.0.1").port(0).build())
                .webSocketRoute("/ws", (socket, request) -> new WebSocketRoute.Listener() {
                    @Override
                    public void onText(String text) {
                        sent.add(socket.sendText("ok")); // false: over the outbound hard limit, closed as slow
                    }

                    @Override
                    public void onClose() {
                    }
                }).start();
        try (RawWebSocket ws = RawWebSocket.to(server.port()).path("/ws").receiveBuffer(4096).open()) {
            byte[] data = new byte[125];
            ws.sendFrames(RawWebSocket.PING, data, 200_000); // 25 MB of pongs asked for
            ws.sendText("mark");
            assertThat(sent.poll(T.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the route could still send after the flood (not over the hard limit)").isTrue();
        }
    }

    @Test
    void engineIoV3PingsPostedWithoutPollingQueueOnePong() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        PollingClient c = new PollingClient(engine.port());
        String open = c.get("EIO=3&transport=polling").body();
        String sid = PollingClient.JSON.readTree(open.substring(open.indexOf(':') + 2)).get("sid").asText();
        String q = "EIO=3&transport=polling&sid=" + sid;
        String pings = "1:2".repeat(300_000); // 900 kB, under maxPayload
        for (int i = 0; i < 4; i++) assertThat(c.post(q, pings).body()).isEqualTo("ok");
        String answer = c.get(q).body();
        assertThat(answer.length()).as("payload of pongs queued for 1.2 million pings").isLessThan(1_000);
        assertThat(answer).startsWith("1:3");
    }
}
