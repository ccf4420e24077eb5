package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.switchboard.testkit.RawWebSocket;

class WebSocketTransportTest {
    private static final Duration T = Duration.ofSeconds(15); // a deadline, not a pause: generous for a loaded machine
    private TestEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) engine.close();
    }

    private static String wsQuery(String sid) {
        return TestEngine.PATH + "?EIO=4&transport=websocket" + (sid == null ? "" : "&sid=" + sid);
    }

    @Test
    void directWebSocketOpensAndEchoesTextAndBinary() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(null), Map.of())) {
            assertThat(ws.handshake.status()).isEqualTo(101);
            String open = ws.readText(T);
            assertThat(open).startsWith("0{");
            JsonNode json = PollingClient.JSON.readTree(open.substring(1));
            assertThat(json.get("upgrades").size()).isZero();
            String sid = json.get("sid").asText();
            ws.sendText("4héllo");
            assertThat(ws.readText(T)).isEqualTo("4héllo");
            ws.sendBinary(new byte[] {1, 2, 3});
            RawWebSocket.Frame f = ws.read(T);
            assertThat(f.opcode()).isEqualTo(RawWebSocket.BINARY);
            assertThat(f.data()).containsExactly(1, 2, 3);
            assertThat(engine.received.get(sid)).containsExactly("héllo", "bin:3");
            EngineSocket socket = engine.nextConnection();
            assertThat(socket.transportName()).isEqualTo("websocket");
            socket.send(EngineMessage.text("a"), EngineMessage.binary(new byte[] {9}), EngineMessage.text("b"));
            assertThat(ws.readText(T)).isEqualTo("4a");
            assertThat(ws.read(T).data()).containsExactly(9);
            assertThat(ws.readText(T)).isEqualTo("4b");
        }
    }

    @Test
    void fullUpgradeReleasesThePollAndMovesQueuedPacketsToWebSocketInOrder() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        PollingClient polling = new PollingClient(engine.port());
        String sid = polling.handshake().get("sid").asText();
        EngineSocket socket = engine.nextConnection();
        String pollQuery = "EIO=4&transport=polling&sid=" + sid;
        CompletableFuture<HttpResponse<String>> pending = polling.getAsync(pollQuery);
        dev.switchboard.testkit.Await.until(() -> socket.sendVolatile(), T, "poll parked");

        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(sid), Map.of())) {
            assertThat(ws.handshake.status()).isEqualTo(101);
            ws.sendText("2probe");
            assertThat(ws.readText(T)).isEqualTo("3probe");
            // the NOOP releases the pending GET so the client can pause polling
            assertThat(pending.get(15, TimeUnit.SECONDS).body()).isEqualTo("6");
            // packets sent mid-upgrade are held (volatile ones dropped)
            assertThat(socket.sendVolatile(EngineMessage.text("dropped"))).isFalse();
            for (int i = 0; i < 5; i++) socket.send(EngineMessage.text("m" + i));
            // a poll arriving after the probe is released at once, empty
            assertThat(polling.poll(sid)).isEqualTo("6");
            ws.sendText("5");
            for (int i = 0; i < 5; i++) assertThat(ws.readText(T)).isEqualTo("4m" + i);
            dev.switchboard.testkit.Await.until(() -> "websocket".equals(socket.transportName()), T, "upgraded");
            ws.sendText("4after");
            assertThat(ws.readText(T)).isEqualTo("4after");
            assertThatThrownBy(() -> ws.read(Duration.ofMillis(200))).isInstanceOf(SocketTimeoutException.class);
            // polling is over for this session
            HttpResponse<String> late = polling.get(pollQuery);
            assertThat(late.statusCode()).isEqualTo(400);
            assertThat(late.body()).contains("\"code\":3");
            assertThat(engine.received.get(sid)).containsExactly("after");
        }
        assertThat(engine.awaitClose(sid, T)).isEqualTo("transport close");
    }

    @Test
    void upgradeIsAbortedAfterTheTimeoutAndHeldPacketsLeaveOverPolling() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().upgradeTimeout(Duration.ofMillis(300)).build());
        PollingClient polling = new PollingClient(engine.port());
        String sid = polling.handshake().get("sid").asText();
        EngineSocket socket = engine.nextConnection();
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(sid), Map.of())) {
            ws.sendText("2probe");
            assertThat(ws.readText(T)).isEqualTo("3probe");
            socket.send(EngineMessage.text("held"));
            assertThat(ws.awaitClosed(T)).isTrue();
            assertThat(polling.poll(sid)).isEqualTo("4held");
            assertThat(socket.isOpen()).isTrue();
            assertThat(socket.transportName()).isEqualTo("polling");
        }
    }

    @Test
    void secondUpgradeAttemptIsRefused() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        PollingClient polling = new PollingClient(engine.port());
        String sid = polling.handshake().get("sid").asText();
        try (RawWebSocket first = RawWebSocket.connect(engine.port(), wsQuery(sid), Map.of());
             RawWebSocket second = RawWebSocket.connect(engine.port(), wsQuery(sid), Map.of())) {
            assertThat(second.awaitClosed(T)).isTrue();
            first.sendText("2probe");
            assertThat(first.readText(T)).isEqualTo("3probe");
        }
    }

    /**
     * Issue #16 item 7: a WebSocket carrying the sid of an already upgraded session gets its 101 and then a close
     * frame (as Node's server does), never a connection dropped before the 101. With one I/O loop every try lands
     * on the session's own loop; with several, some do.
     */
    @ParameterizedTest(name = "ioThreads={0}")
    @ValueSource(ints = {1, 4})
    void webSocketForAnUpgradedSessionGetsItsHandshakeThenAClose(int ioThreads) throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().ioThreads(ioThreads).build());
        PollingClient polling = new PollingClient(engine.port());
        String sid = polling.handshake().get("sid").asText();
        EngineSocket socket = engine.nextConnection();
        try (RawWebSocket upgraded = RawWebSocket.connect(engine.port(), wsQuery(sid), Map.of())) {
            upgraded.sendText("2probe");
            assertThat(upgraded.readText(T)).isEqualTo("3probe");
            upgraded.sendText("5");
            dev.switchboard.testkit.Await.until(() -> "websocket".equals(socket.transportName()), T, "upgraded");
            for (int i = 0; i < 8; i++) {
                try (RawWebSocket extra = RawWebSocket.connect(engine.port(), wsQuery(sid), Map.of())) {
                    assertThat(extra.handshake.status()).as("try %d", i).isEqualTo(101);
                    assertThat(extra.read(T).opcode()).as("try %d", i).isEqualTo(RawWebSocket.CLOSE);
                }
            }
            upgraded.sendText("4still here");
            assertThat(upgraded.readText(T)).isEqualTo("4still here");
            assertThat(socket.isOpen()).isTrue();
        }
    }

    @Test
    void serverPingsAndClosesASilentClientWithPingTimeout() throws Exception {
        // generous timeout: the answering client must not be timed out by a loaded machine
        engine = new TestEngine(TestEngine.fastOptions().pingInterval(Duration.ofMillis(200))
                .pingTimeout(Duration.ofMillis(1000)).build());
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(null), Map.of())) {
            String sid = PollingClient.JSON.readTree(ws.readText(T).substring(1)).get("sid").asText();
            for (int i = 0; i < 3; i++) {
                assertThat(ws.readText(T)).isEqualTo("2");
                ws.sendText("3");
            }
            assertThat(ws.readText(T)).isEqualTo("2");
            // stay silent
            assertThat(ws.awaitClosed(T)).isTrue();
            assertThat(engine.awaitClose(sid, T)).isEqualTo("ping timeout");
        }
    }

    @Test
    void pollingClientThatStopsPollingTimesOut() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().pingInterval(Duration.ofMillis(200))
                .pingTimeout(Duration.ofMillis(200)).build());
        String sid = new PollingClient(engine.port()).handshake().get("sid").asText();
        assertThat(engine.awaitClose(sid, T)).isEqualTo("ping timeout");
    }

    @Test
    void clientPingIsAProtocolErrorInV4() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(null), Map.of())) {
            String sid = PollingClient.JSON.readTree(ws.readText(T).substring(1)).get("sid").asText();
            ws.sendText("2");
            assertThat(ws.awaitClosed(T)).isTrue();
            assertThat(engine.awaitClose(sid, T)).isEqualTo("transport error");
        }
    }

    @Test
    void oversizedFrameClosesTheConnection() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().maxPayload(1000).build());
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(null), Map.of())) {
            String sid = PollingClient.JSON.readTree(ws.readText(T).substring(1)).get("sid").asText();
            ws.sendText("4" + "x".repeat(1500));
            assertThat(ws.awaitClosed(T)).isTrue();
            assertThat(engine.awaitClose(sid, T)).isEqualTo("transport error");
            assertThat(engine.received.get(sid)).isEmpty();
        }
    }

    @Test
    void oversizedFragmentedMessageClosesTheConnection() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().maxPayload(1000).build());
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(null), Map.of())) {
            String sid = PollingClient.JSON.readTree(ws.readText(T).substring(1)).get("sid").asText();
            ws.sendFrame(RawWebSocket.TEXT, ("4" + "x".repeat(700)).getBytes(), false);
            ws.sendFrame(0, "y".repeat(700).getBytes(), true);
            assertThat(ws.awaitCloseCode(T)).isEqualTo(1009);
            assertThat(engine.awaitClose(sid, T)).isEqualTo("transport error");
            assertThat(engine.received.get(sid)).isEmpty();
        }
    }

    @Test
    void fragmentedMessageWithinLimitIsAggregated() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().maxPayload(1000).build());
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(null), Map.of())) {
            ws.readText(T);
            ws.sendFrame(RawWebSocket.TEXT, "4ab".getBytes(), false);
            ws.sendFrame(RawWebSocket.PING, "p".getBytes(), true); // control frames may come between fragments
            ws.sendFrame(0, "c".getBytes(), false);
            ws.sendFrame(0, "d".getBytes(), true);
            assertThat(ws.read(T).opcode()).isEqualTo(RawWebSocket.PONG);
            assertThat(ws.readText(T)).isEqualTo("4abcd");
            // a character split across two frames is valid once joined
            byte[] e = "é".getBytes(StandardCharsets.UTF_8);
            ws.sendFrame(RawWebSocket.TEXT, new byte[] {'4', e[0]}, false);
            ws.sendFrame(0, new byte[] {e[1]}, true);
            assertThat(ws.readText(T)).isEqualTo("4é");
            ws.sendFrame(RawWebSocket.BINARY, new byte[] {4, 1}, false);
            ws.sendFrame(0, new byte[] {2}, true);
            RawWebSocket.Frame binary = ws.read(T);
            assertThat(binary.opcode()).isEqualTo(RawWebSocket.BINARY);
            assertThat(binary.data()).containsExactly(4, 1, 2);
        }
    }

    @Test
    void messageInManyTinyOrEmptyFramesIsAssembledWithinTheLimit() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().maxPayload(5000).build());
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(null), Map.of())) {
            String sid = PollingClient.JSON.readTree(ws.readText(T).substring(1)).get("sid").asText();
            ws.sendFrame(RawWebSocket.TEXT, "4".getBytes(), false);
            for (int i = 0; i < 3000; i++) {
                ws.sendFrame(0, i % 2 == 0 ? new byte[0] : new byte[] {'z'}, false);
            }
            ws.sendFrame(0, new byte[0], true);
            assertThat(ws.readText(T)).isEqualTo("4" + "z".repeat(1500));
            // empty frames count no bytes, but bytes still count: past the limit the message is refused
            ws.sendFrame(RawWebSocket.TEXT, "4".getBytes(), false);
            try {
                for (int i = 0; i < 6; i++) {
                    ws.sendFrame(0, "y".repeat(1000).getBytes(), false);
                }
            } catch (java.io.IOException e) {
                // the server may close while the last frames are still being written
            }
            assertThat(ws.awaitCloseCode(T)).isEqualTo(1009);
            assertThat(engine.awaitClose(sid, T)).isEqualTo("transport error");
        }
    }

    @Test
    void continuationOutOfPlaceIsAProtocolError() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(null), Map.of())) {
            String sid = PollingClient.JSON.readTree(ws.readText(T).substring(1)).get("sid").asText();
            ws.sendFrame(0, "4x".getBytes(), true);
            assertThat(ws.awaitCloseCode(T)).isEqualTo(1002);
            assertThat(engine.awaitClose(sid, T)).isEqualTo("transport error");
        }
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(null), Map.of())) {
            String sid = PollingClient.JSON.readTree(ws.readText(T).substring(1)).get("sid").asText();
            ws.sendFrame(RawWebSocket.TEXT, "4a".getBytes(), false);
            ws.sendFrame(RawWebSocket.TEXT, "4b".getBytes(), true);
            assertThat(ws.awaitCloseCode(T)).isEqualTo(1002);
            assertThat(engine.awaitClose(sid, T)).isEqualTo("transport error");
            assertThat(engine.received.get(sid)).isEmpty();
        }
    }

    @Test
    void invalidPacketClosesWithParseError() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(null), Map.of())) {
            String sid = PollingClient.JSON.readTree(ws.readText(T).substring(1)).get("sid").asText();
            ws.sendText("9nope");
            assertThat(ws.awaitClosed(T)).isTrue();
            assertThat(engine.awaitClose(sid, T)).isEqualTo("parse error");
        }
    }

    @Test
    void serverCloseFlushesPendingFramesFirst() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(null), Map.of())) {
            ws.readText(T);
            EngineSocket socket = engine.nextConnection();
            socket.send(EngineMessage.text("last"));
            socket.close("forced close");
            assertThat(ws.readText(T)).isEqualTo("4last");
            assertThat(ws.awaitClosed(T)).isTrue();
            assertThat(engine.awaitClose(socket.id(), T)).isEqualTo("forced close");
        }
    }

    @Test
    void serverShutdownClosesEverySession() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        PollingClient polling = new PollingClient(engine.port());
        String pollSid = polling.handshake().get("sid").asText();
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(null), Map.of())) {
            String wsSid = PollingClient.JSON.readTree(ws.readText(T).substring(1)).get("sid").asText();
            CompletableFuture<HttpResponse<String>> pending = polling.getAsync("EIO=4&transport=polling&sid=" + pollSid);
            EngineSocket pollSocket = engine.nextConnection();
            dev.switchboard.testkit.Await.until(() -> pollSocket.sendVolatile(), T, "poll parked");
            engine.close();
            assertThat(pending.get(15, TimeUnit.SECONDS).body()).isEqualTo("1");
            assertThat(ws.awaitClosed(T)).isTrue();
            assertThat(engine.closeReasons).containsEntry(pollSid, "server shutting down")
                    .containsEntry(wsSid, "server shutting down");
            assertThat(engine.server.clientsCount()).isZero();
        }
        engine = null;
    }

    @Test
    void invalidUtf8TextFrameClosesWithTransportError() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(null), Map.of())) {
            String sid = PollingClient.JSON.readTree(ws.readText(T).substring(1)).get("sid").asText();
            ws.sendFrame(RawWebSocket.TEXT, new byte[] {'4', (byte) 0xC3, (byte) 0x28}, true);
            assertThat(ws.awaitCloseCode(T)).isEqualTo(1007);
            assertThat(engine.awaitClose(sid, T)).isEqualTo("transport error");
            assertThat(engine.received.get(sid)).isEmpty();
        }
    }

    @Test
    void emptyTextFrameIsAParseError() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(null), Map.of())) {
            String sid = PollingClient.JSON.readTree(ws.readText(T).substring(1)).get("sid").asText();
            ws.sendText("");
            assertThat(ws.awaitClosed(T)).isTrue();
            assertThat(engine.awaitClose(sid, T)).isEqualTo("parse error");
        }
    }

    @Test
    void clientCloseFrameEndsTheSessionWithTransportClose() throws Exception {
        engine = new TestEngine(TestEngine.fastOptions().build());
        try (RawWebSocket ws = RawWebSocket.connect(engine.port(), wsQuery(null), Map.of())) {
            String sid = PollingClient.JSON.readTree(ws.readText(T).substring(1)).get("sid").asText();
            ws.sendFrame(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8}, true);
            assertThat(ws.awaitClosed(T)).isTrue();
            assertThat(engine.awaitClose(sid, T)).isEqualTo("transport close");
            assertThat(engine.closeCalls.get(sid)).isEqualTo(1);
        }
    }
}
