package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.RawWebSocket;

/**
 * Slowloris on the public port: a request head must arrive whole within the deadline however its bytes trickle
 * in (each byte used to reset the idle timeout), and TCP connections are capped per peer address and in all,
 * before any handshake.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowlorisTest {
    private static final String HEAD_START = "GET " + TestEngine.PATH + "?EIO=4&transport=polling HTTP/1.1\r\n";

    /** Heartbeat long enough that the HTTP idle timeout (2 × (interval + timeout) = 120 s) never plays a part. */
    /** Cut at the 1 s deadline; the slack is for a loaded machine, and stays below the 6 s a connection never cut trickles. */
    private static final long CUT_WITHIN_MS = 5_000;

    private static EngineIoOptions.Builder options() {
        return TestEngine.fastOptions().requestHeadTimeout(Duration.ofSeconds(1));
    }

    /** Sends one more header byte every 200 ms until the server closes; returns how long the connection lived. */
    private static long trickleUntilClosed(RawHttp c, Duration max) throws Exception {
        long start = System.nanoTime();
        c.send(HEAD_START);
        byte[] header = "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; System.nanoTime() - start < max.toNanos(); i = (i + 1) % header.length) {
            try {
                c.socket.getOutputStream().write(header[i]);
                c.socket.getOutputStream().flush();
            } catch (IOException closed) {
                break;
            }
            c.socket.setSoTimeout(200);
            try {
                if (c.socket.getInputStream().read() < 0) break;
            } catch (java.net.SocketTimeoutException stillOpen) {
                // nothing from the server yet: keep trickling
            } catch (IOException reset) {
                break;
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void aRequestHeadTricklingInIsCutAtTheDeadline() throws Exception {
        try (TestEngine engine = new TestEngine(options().build());
             RawHttp c = RawHttp.connect("127.0.0.2", engine.port())) {
            long lived = trickleUntilClosed(c, Duration.ofSeconds(6));
            assertThat(lived).as("ms the trickling connection stayed open").isBetween(900L, CUT_WITHIN_MS);
        }
    }

    @Test
    void aKeptAliveConnectionMayWaitBetweenRequestsButNotTrickleTheNextHead() throws Exception {
        try (TestEngine engine = new TestEngine(options().build());
             RawHttp c = RawHttp.connect("127.0.0.3", engine.port())) {
            assertThat(c.exchange(RawHttp.get("/health", engine.port())).status()).isEqualTo(200);
            Thread.sleep(1500); // a pause between requests is not a head in progress (the idle timeout covers it)
            assertThat(c.exchange(RawHttp.get("/health", engine.port())).status()).isEqualTo(200);
            long lived = trickleUntilClosed(c, Duration.ofSeconds(6));
            assertThat(lived).isBetween(900L, CUT_WITHIN_MS);
        }
    }

    /** An Upgrade header on a request answered as plain HTTP must not switch the deadline off for what follows. */
    @Test
    void anUpgradeHeaderOnAPlainRequestDoesNotExemptTheNextHead() throws Exception {
        try (TestEngine engine = new TestEngine(options().build());
             RawHttp c = RawHttp.connect("127.0.0.6", engine.port())) {
            assertThat(c.exchange(RawHttp.get("/health", engine.port(), "Upgrade: websocket")).status()).isEqualTo(200);
            long lived = trickleUntilClosed(c, Duration.ofSeconds(6));
            assertThat(lived).isBetween(900L, CUT_WITHIN_MS);
        }
    }

    @Test
    void aParkedPollAndAnOpenWebSocketOutliveTheHeadDeadline() throws Exception {
        try (TestEngine engine = new TestEngine(options().build())) {
            PollingClient polling = new PollingClient(engine.port());
            String sid = polling.handshake().get("sid").asText();
            EngineSocket socket = engine.nextConnection();
            CompletableFuture<HttpResponse<String>> parked = polling.getAsync("EIO=4&transport=polling&sid=" + sid);
            Thread.sleep(2000);
            socket.send(EngineMessage.text("late"));
            assertThat(parked.get(15, TimeUnit.SECONDS).body()).isEqualTo("4late");

            try (RawWebSocket ws = RawWebSocket.connect(engine.port(), TestEngine.PATH + "?EIO=4&transport=websocket",
                    java.util.Map.of())) {
                assertThat(ws.readText(Duration.ofSeconds(15))).startsWith("0{");
                Thread.sleep(2000);
                ws.sendText("4still-here");
                assertThat(ws.readText(Duration.ofSeconds(15))).isEqualTo("4still-here");
            }
        }
    }

    @Test
    void aPlainWebSocketRouteOutlivesTheHeadDeadline() throws Exception {
        EngineIoServer server = EngineIoServer.create(options().host("127.0.0.1").port(0).build())
                .webSocketRoute("/ws", (socket, request) -> new WebSocketRoute.Listener() {
                    @Override
                    public void onText(String text) {
                        socket.sendText(text);
                    }

                    @Override
                    public void onClose() {
                    }
                }).start();
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws", java.util.Map.of())) {
            assertThat(ws.handshake.status()).isEqualTo(101);
            ws.sendText("first");
            assertThat(ws.readText(Duration.ofSeconds(15))).isEqualTo("first");
            Thread.sleep(2000);
            ws.sendText("later");
            assertThat(ws.readText(Duration.ofSeconds(15))).isEqualTo("later");
        } finally {
            server.close();
        }
    }

    @Test
    void manySlowConnectionsFromOnePeerAreCappedAndCutWhileOthersAreServed() throws Exception {
        // a deadline longer than opening the 150 connections takes, so none is cut before all are counted
        try (TestEngine engine = new TestEngine(options().requestHeadTimeout(Duration.ofSeconds(4))
                .maxConnectionsPerAddress(100).build())) {
            int port = engine.port();
            List<RawHttp> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 150; i++) {
                    RawHttp c = RawHttp.connect("127.0.0.4", port);
                    c.send(HEAD_START + "X-Slow: a");
                    slow.add(c);
                }
                // which 50 are refused depends on the order the I/O threads count them in
                Await.until(() -> slow.stream().filter(SlowlorisTest::answered).count() == 50, Duration.ofSeconds(15),
                        "50 connections answered at once");
                List<RawHttp> admitted = new ArrayList<>();
                for (RawHttp c : slow) {
                    if (answered(c)) {
                        RawHttp.Answer a = c.read();
                        assertThat(a.status()).isEqualTo(429);
                        assertThat(a.body()).isEqualTo("{\"code\":429,\"message\":\"Too many connections from this address\"}");
                    } else {
                        admitted.add(c);
                    }
                }
                assertThat(admitted).hasSize(100);

                // another address is served meanwhile
                try (RawHttp other = RawHttp.connect("127.0.0.5", port)) {
                    assertThat(other.exchange(RawHttp.get(TestEngine.PATH + "?EIO=4&transport=polling", port)).status())
                            .isEqualTo(200);
                }
                // the slow ones are all cut at the head deadline, and their places come back
                for (RawHttp c : admitted) assertThat(c.closedByServer()).isTrue();
                Await.until(() -> engine.server.openConnections() == 0, Duration.ofSeconds(15), "every slow connection closed");
                try (RawHttp again = RawHttp.connect("127.0.0.4", port)) {
                    assertThat(again.exchange(RawHttp.get("/health", port)).status()).isEqualTo(200);
                }
            } finally {
                slow.forEach(RawHttp::close);
            }
        }
    }

    private static boolean answered(RawHttp c) {
        try {
            return c.socket.getInputStream().available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void connectionsBeyondTheGlobalCapGet503() throws Exception {
        try (TestEngine engine = new TestEngine(options().maxConnections(5).build())) {
            List<RawHttp> open = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) open.add(RawHttp.connect("127.0.0." + (10 + i), engine.port()));
                Await.until(() -> engine.server.openConnections() == 5, Duration.ofSeconds(15), "5 connections counted");
                try (RawHttp sixth = RawHttp.connect("127.0.0.20", engine.port())) {
                    RawHttp.Answer a = sixth.read();
                    assertThat(a.status()).isEqualTo(503);
                    assertThat(a.body()).isEqualTo("{\"code\":503,\"message\":\"Server full: too many connections\"}");
                }
            } finally {
                open.forEach(RawHttp::close);
            }
        }
    }
}
