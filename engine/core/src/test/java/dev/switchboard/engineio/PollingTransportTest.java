package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.RawWebSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PollingTransportTest {
    private static final Duration T = Duration.ofSeconds(15); // a deadline, not a pause: generous for a loaded machine
    private TestEngine engine;
    private PollingClient client;

    @BeforeEach
    void start() {
        engine = new TestEngine(TestEngine.fastOptions().maxPayload(1000).build());
        client = new PollingClient(engine.port());
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void handshakeAdvertisesSessionAndTimings() throws Exception {
        HttpResponse<String> r = client.get("EIO=4&transport=polling");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=UTF-8");
        assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(r.body()).startsWith("0{");
        JsonNode open = PollingClient.JSON.readTree(r.body().substring(1));
        assertThat(open.get("sid").asText()).matches("[A-Za-z0-9_-]{27}");
        assertThat(open.get("upgrades").toString()).isEqualTo("[\"websocket\"]");
        assertThat(open.get("pingInterval").asLong()).isEqualTo(30_000);
        assertThat(open.get("pingTimeout").asLong()).isEqualTo(30_000);
        assertThat(open.get("maxPayload").asLong()).isEqualTo(1000);
        assertThat(client.handshake().get("sid").asText()).isNotEqualTo(open.get("sid").asText());
        assertThat(engine.server.clientsCount()).isEqualTo(2);
    }

    @Test
    void trailingSlashIsOptional() throws Exception {
        PollingClient noSlash = new PollingClient(engine.port(), "/engine.io");
        assertThat(noSlash.handshake().get("sid").asText()).isNotEmpty();
    }

    @Test
    void postedMessagesAreDeliveredAndEchoedOnTheNextPoll() throws Exception {
        String sid = client.handshake().get("sid").asText();
        HttpResponse<String> post = client.post("EIO=4&transport=polling&sid=" + sid, "4hello");
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("ok");
        assertThat(post.headers().firstValue("content-type")).hasValue("text/html");
        assertThat(client.poll(sid)).isEqualTo("4hello");
        assertThat(engine.listenerThreads).allMatch(t -> t.startsWith("engineio-io"));
    }

    @Test
    void payloadWithSeveralPacketsAndBinaryRoundTrips() throws Exception {
        String sid = client.handshake().get("sid").asText();
        client.post("EIO=4&transport=polling&sid=" + sid, "4a\u001e4é€\u001ebAQID");
        Await.until(() -> engine.received.get(sid).size() == 3, T, "3 packets");
        assertThat(engine.received.get(sid)).containsExactly("a", "é€", "bin:3");
        assertThat(client.poll(sid)).isEqualTo("4a\u001e4é€\u001ebAQID");
    }

    @Test
    void pendingPollIsAnsweredWhenTheServerSends() throws Exception {
        String sid = client.handshake().get("sid").asText();
        EngineSocket socket = engine.nextConnection();
        CompletableFuture<HttpResponse<String>> pending = client.getAsync("EIO=4&transport=polling&sid=" + sid);
        Await.until(() -> socket.sendVolatile(EngineMessage.text("v")), T, "poll parked (writable)");
        socket.send(EngineMessage.text("x"), EngineMessage.binary(new byte[] {1, 2}));
        String body = pending.get(15, TimeUnit.SECONDS).body();
        // everything sent in the same loop turn arrives in one payload, in order
        assertThat(String.join("|", PollingClient.packets(body))).isIn("4v|4x|bAQI=", "4v");
        if (body.equals("4v")) assertThat(client.poll(sid)).isEqualTo("4x\u001ebAQI=");
    }

    @Test
    void concurrentPollsCloseTheSession() throws Exception {
        String sid = client.handshake().get("sid").asText();
        EngineSocket socket = engine.nextConnection();
        CompletableFuture<HttpResponse<String>> first = client.getAsync("EIO=4&transport=polling&sid=" + sid);
        Await.until(() -> socket.sendVolatile(), T, "first poll parked");
        HttpResponse<String> second = client.get("EIO=4&transport=polling&sid=" + sid);
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(second.body()).isEqualTo("{\"code\":3,\"message\":\"Bad request\"}");
        assertThat(first.get(15, TimeUnit.SECONDS).body()).isEqualTo("1");
        assertThat(engine.awaitClose(sid, T)).isEqualTo("transport error");
        assertThat(client.get("EIO=4&transport=polling&sid=" + sid).body()).contains("\"code\":1");
    }

    @Test
    void oversizedPostGets413AndClosesTheSession() throws Exception {
        String sid = client.handshake().get("sid").asText();
        HttpResponse<String> r = client.post("EIO=4&transport=polling&sid=" + sid, "4" + "x".repeat(1500));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(engine.awaitClose(sid, T)).isEqualTo("transport error");
        assertThat(engine.received.get(sid)).isEmpty();
    }

    @Test
    void malformedPayloadIsRejectedAndClosesWithParseError() throws Exception {
        String sid = client.handshake().get("sid").asText();
        HttpResponse<String> r = client.post("EIO=4&transport=polling&sid=" + sid, "4ok\u001ez");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"code\":3");
        assertThat(engine.awaitClose(sid, T)).isEqualTo("parse error");
        assertThat(engine.received.get(sid)).isEmpty();
    }

    @Test
    void closeFlushesQueuedPacketsThenClosePacketOnThePendingPoll() throws Exception {
        String sid = client.handshake().get("sid").asText();
        EngineSocket socket = engine.nextConnection();
        socket.send(EngineMessage.text("bye"));
        socket.close("forced close");
        // the poll may catch "bye" before the close ran; the next one then carries the close packet
        List<String> packets = new java.util.ArrayList<>(PollingClient.packets(client.poll(sid)));
        if (!packets.get(packets.size() - 1).equals("1")) packets.addAll(PollingClient.packets(client.poll(sid)));
        assertThat(packets).containsExactly("4bye", "1");
        assertThat(engine.awaitClose(sid, T)).isEqualTo("forced close");
        assertThat(socket.isOpen()).isFalse();
        assertThat(engine.server.clientsCount()).isZero();
        Await.until(() -> {
            try {
                return client.get("EIO=4&transport=polling&sid=" + sid).statusCode() == 400;
            } catch (Exception e) {
                return false;
            }
        }, T, "sid forgotten");
        assertThat(engine.closeCalls.get(sid)).isEqualTo(1);
    }

    @Test
    void clientClosePacketEndsTheSession() throws Exception {
        String sid = client.handshake().get("sid").asText();
        client.post("EIO=4&transport=polling&sid=" + sid, "1");
        assertThat(engine.awaitClose(sid, T)).isEqualTo("transport close");
    }

    /**
     * Issue #16 item 5: a close packet POSTed while a GET waits releases that GET with a noop, as Node's server
     * does (the client asked for the close), and the session is gone for the next request.
     */
    @ParameterizedTest(name = "ioThreads={0}")
    @ValueSource(ints = {1, 4})
    void clientCloseReleasesThePendingPollWithANoop(int ioThreads) throws Exception {
        try (TestEngine own = new TestEngine(TestEngine.fastOptions().ioThreads(ioThreads).build())) {
            PollingClient c = new PollingClient(own.port());
            String sid = c.handshake().get("sid").asText();
            EngineSocket socket = own.nextConnection();
            String query = "EIO=4&transport=polling&sid=" + sid;
            CompletableFuture<HttpResponse<String>> pending = c.getAsync(query);
            Await.until(() -> socket.sendVolatile(), T, "poll parked");
            HttpResponse<String> post = c.post(query, "1");
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(post.body()).isEqualTo("ok");
            HttpResponse<String> released = pending.get(15, TimeUnit.SECONDS);
            assertThat(released.statusCode()).isEqualTo(200);
            assertThat(released.body()).isEqualTo("6");
            assertThat(own.awaitClose(sid, T)).isEqualTo("transport close");
            assertThat(c.get(query).statusCode()).isEqualTo(400);
        }
    }

    /**
     * Issue #16 item 5: a poll sent before the client's close but handled after it (read by an I/O loop that ran
     * later) is released with the noop as well, not answered 400; the request after it finds no session.
     */
    @ParameterizedTest(name = "ioThreads={0}")
    @ValueSource(ints = {1, 4})
    void pollHandledJustAfterTheClientsCloseIsReleasedWithANoop(int ioThreads) throws Exception {
        try (TestEngine own = new TestEngine(TestEngine.fastOptions().ioThreads(ioThreads).build())) {
            PollingClient c = new PollingClient(own.port());
            String sid = c.handshake().get("sid").asText();
            String query = "EIO=4&transport=polling&sid=" + sid;
            assertThat(c.post(query, "1").body()).isEqualTo("ok");
            assertThat(own.awaitClose(sid, T)).isEqualTo("transport close");
            HttpResponse<String> late = c.get(query);
            assertThat(late.statusCode()).isEqualTo(200);
            assertThat(late.body()).isEqualTo("6");
            assertThat(c.get(query).statusCode()).isEqualTo(400);
        }
    }

    @Test
    void sessionClosedByItsClientIsForgottenAfterTheGraceWithoutAPoll() throws Exception {
        String sid = client.handshake().get("sid").asText();
        String query = "EIO=4&transport=polling&sid=" + sid;
        client.post(query, "1");
        assertThat(engine.awaitClose(sid, T)).isEqualTo("transport close");
        // an upgrade to a closing session is refused with a close frame, without ending it as a poll would
        Await.until(() -> {
            try (RawWebSocket ws = RawWebSocket.connect(engine.port(), TestEngine.PATH + "?EIO=4&transport=websocket&sid="
                    + sid, java.util.Map.of())) {
                return ws.handshake.status() == 400 && ws.handshake.body().contains("\"code\":1");
            } catch (java.io.IOException e) {
                return false;
            }
        }, Duration.ofMillis(EngineSession.CLIENT_CLOSE_GRACE_MS + 5_000), "sid forgotten");
    }

    @Test
    void abortedPendingPollClosesTheSession() throws Exception {
        String sid = client.handshake().get("sid").asText();
        EngineSocket socket = engine.nextConnection();
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", engine.port())) {
            raw.getOutputStream().write(("GET " + TestEngine.PATH + "?EIO=4&transport=polling&sid=" + sid
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes());
            raw.getOutputStream().flush();
            Await.until(() -> socket.sendVolatile(), T, "raw poll parked");
        }
        assertThat(engine.awaitClose(sid, T)).isEqualTo("transport error");
    }

    @Test
    void plainRoutesAndNotFound() throws Exception {
        PollingClient root = new PollingClient(engine.port(), "/health");
        HttpResponse<String> health = root.get("x=1");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"ok\":true}");
        HttpResponse<String> missing = new PollingClient(engine.port(), "/nope").get("");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("content-type")).hasValue("application/json");
    }

    @Test
    void silentHttpConnectionIsClosedAfterTwoHeartbeatCycles() throws Exception {
        try (TestEngine fast = new TestEngine(TestEngine.fastOptions().pingInterval(Duration.ofMillis(200))
                .pingTimeout(Duration.ofMillis(200)).build());
             java.net.Socket raw = new java.net.Socket("127.0.0.1", fast.port())) {
            raw.setSoTimeout(5000);
            long start = System.nanoTime();
            assertThat(raw.getInputStream().read()).isEqualTo(-1); // closed by the server, nothing sent
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(600));
        }
    }

    @Test
    void emptyOrBadBase64PostIsAParseError() throws Exception {
        String sid = client.handshake().get("sid").asText();
        HttpResponse<String> empty = client.post("EIO=4&transport=polling&sid=" + sid, "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(engine.awaitClose(sid, T)).isEqualTo("parse error");
        String sid2 = client.handshake().get("sid").asText();
        assertThat(client.post("EIO=4&transport=polling&sid=" + sid2, "b!!notbase64").statusCode()).isEqualTo(400);
        assertThat(engine.awaitClose(sid2, T)).isEqualTo("parse error");
    }

    @Test
    void unsupportedMethodOnASessionIsABadRequest() throws Exception {
        String sid = client.handshake().get("sid").asText();
        HttpResponse<String> put = PollingClient.HTTP.send(java.net.http.HttpRequest.newBuilder(
                client.uri("EIO=4&transport=polling&sid=" + sid))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("4x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(put.body()).contains("\"code\":3");
    }

    @Test
    void failingConnectionHandlerClosesTheNewSessionCleanly() throws Exception {
        try (TestEngine failing = new TestEngine(TestEngine.fastOptions().build(), socket -> {
            throw new IllegalStateException("handler bug");
        })) {
            HttpResponse<String> r = new PollingClient(failing.port()).get("EIO=4&transport=polling");
            assertThat(r.statusCode()).isEqualTo(200);
            List<String> packets = PollingClient.packets(r.body());
            assertThat(packets).hasSize(2);
            assertThat(packets.get(0)).startsWith("0{");
            assertThat(packets.get(1)).isEqualTo("1");
            String sid = PollingClient.JSON.readTree(packets.get(0).substring(1)).get("sid").asText();
            assertThat(failing.awaitClose(sid, T)).isEqualTo("forced close");
            assertThat(failing.server.clientsCount()).isZero();
        }
    }

    @Test
    void closeWithoutAPollForgetsTheSessionAfterABoundedWait() throws Exception {
        try (TestEngine fast = new TestEngine(TestEngine.fastOptions().pingInterval(Duration.ofMillis(150))
                .pingTimeout(Duration.ofMillis(150)).build())) {
            PollingClient c = new PollingClient(fast.port());
            String sid = c.handshake().get("sid").asText();
            EngineSocket socket = fast.nextConnection();
            socket.send(EngineMessage.text("never polled"));
            socket.close("forced close");
            assertThat(fast.awaitClose(sid, T)).isEqualTo("forced close");
            assertThat(fast.server.clientsCount()).isZero();
            Await.until(() -> {
                try {
                    return c.get("EIO=4&transport=polling&sid=" + sid).body().contains("\"code\":1");
                } catch (Exception e) {
                    return false;
                }
            }, T, "session forgotten after pingInterval + pingTimeout");
        }
    }

    @Test
    void listenerSetAfterTheCloseStillHearsItOnce() throws Exception {
        java.util.concurrent.BlockingQueue<EngineSocket> sockets = new java.util.concurrent.LinkedBlockingQueue<>();
        EngineIoServer bare = EngineIoServer.create(TestEngine.fastOptions().host("127.0.0.1").port(0).build())
                .endpoint("/late/", sockets::add).start();
        try {
            new PollingClient(bare.port(), "/late/").handshake();
            EngineSocket socket = sockets.poll(5, TimeUnit.SECONDS);
            assertThat(socket).isNotNull();
            socket.close("forced close");
            Await.until(() -> !socket.isOpen(), T, "closed");
            java.util.List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
            socket.setListener(new EngineSocket.Listener() {
                @Override public void onMessage(String text) { }
                @Override public void onBinary(byte[] data) { }
                @Override public void onClose(String reason) { reasons.add(reason); }
            });
            Await.until(() -> !reasons.isEmpty(), T, "late onClose");
            assertThat(reasons).containsExactly("forced close");
        } finally {
            bare.close();
        }
    }
}
