package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.engineio.EngineMessage;
import dev.switchboard.testkit.Await;

/** The Socket.IO layer against in-memory Engine.IO sessions. */
class SocketIoCoreTest {
    private static final Duration WAIT = Duration.ofSeconds(15); // a deadline, not a pause: generous for a loaded machine
    private static final ObjectMapper JSON = new ObjectMapper();

    private SocketIoCore core = newCore(Duration.ofSeconds(45));

    private static SocketIoCore newCore(Duration connectTimeout) {
        return new SocketIoCore(new ServerSettings(connectTimeout, Duration.ofSeconds(30), 4, 10),
                new ObjectMapper(), InMemoryAdapter::new);
    }

    @AfterEach
    void stop() {
        core.stopAccepting();
        core.closeAllConnections("server shutting down");
        core.shutdown(System.nanoTime() + Duration.ofSeconds(2).toNanos());
    }

    private FakeEngineSocket open() {
        FakeEngineSocket engine = new FakeEngineSocket();
        core.accept(engine);
        return engine;
    }

    /** Sends CONNECT and returns the socket id from the reply. */
    private String connect(FakeEngineSocket engine, String namespace) throws Exception {
        engine.receive("/".equals(namespace) ? "0" : "0" + namespace + ",");
        String reply = engine.nextText(WAIT);
        String prefix = "/".equals(namespace) ? "0" : "0" + namespace + ",";
        assertThat(reply).startsWith(prefix + "{\"sid\":");
        return JSON.readTree(reply.substring(prefix.length())).get("sid").asText();
    }

    @Test
    void connectRepliesWithARandomSocketIdDistinctFromTheSid() throws Exception {
        FakeEngineSocket engine = open();
        String id = connect(engine, "/");
        assertThat(id).hasSize(20).isNotEqualTo(engine.id()).matches("[A-Za-z0-9_-]+");
        Socket socket = core.namespace("/").socket(id);
        assertThat(socket.rooms()).containsExactly(id);
        assertThat(core.namespace("/").rooms()).isEmpty();
        FakeEngineSocket other = open();
        assertThat(connect(other, "/")).isNotEqualTo(id);
    }

    @Test
    void unknownNamespaceIsRefusedAndTheConnectionStaysOpen() throws Exception {
        FakeEngineSocket engine = open();
        engine.receive("0/nope,");
        assertThat(engine.nextText(WAIT)).isEqualTo("4/nope,{\"message\":\"Invalid namespace\"}");
        assertThat(engine.isOpen()).isTrue();
        connect(engine, "/");
    }

    @Test
    void refusedSocketHoldsNothing() throws Exception {
        NamespaceImpl ns = core.of("/secure");
        AtomicReference<JsonNode> seenAuth = new AtomicReference<>();
        ns.use(socket -> {
            seenAuth.set(socket.handshake().auth());
            socket.join("lobby"); // joined by middleware, must not survive the refusal
            if (!"good".equals(socket.handshake().auth().path("token").asText())) {
                throw new ConnectError("bad token", Map.of("code", 401));
            }
        });
        AtomicInteger connections = new AtomicInteger();
        ns.onConnection(s -> connections.incrementAndGet());

        FakeEngineSocket refused = open();
        refused.receive("0/secure,{\"token\":\"bad\"}");
        assertThat(refused.nextText(WAIT)).isEqualTo("4/secure,{\"message\":\"bad token\",\"data\":{\"code\":401}}");
        assertThat(seenAuth.get().get("token").asText()).isEqualTo("bad");
        assertThat(ns.socketCount()).isZero();
        assertThat(ns.rooms()).isEmpty();
        assertThat(ns.adapter().roomSizes()).isEmpty();
        assertThat(ns.emit("news", 1)).isZero();
        assertThat(ns.to("lobby").emit("news", 2)).isZero();
        assertThat(connections).hasValue(0);
        assertThat(refused.sent).isEmpty();

        FakeEngineSocket accepted = open();
        accepted.receive("0/secure,{\"token\":\"good\"}");
        assertThat(accepted.nextText(WAIT)).startsWith("0/secure,{\"sid\":");
        Await.until(() -> connections.get() == 1, WAIT, "connection handler");
        assertThat(ns.rooms()).containsEntry("lobby", 1);
        assertThat(ns.to("lobby").emit("news", 3)).isEqualTo(1);
        assertThat(refused.sent).isEmpty();

        // an EVENT on the namespace it was refused from closes the connection, like Node's "invalid state"
        refused.receive("2/secure,[\"hack\"]");
        assertThat(refused.awaitClosed(WAIT)).isTrue();
    }

    @Test
    void middlewareRunsInOrderOnWorkersAndUnexpectedFailureRefuses() throws Exception {
        NamespaceImpl ns = core.of("/m");
        List<String> calls = new CopyOnWriteArrayList<>();
        ns.use(s -> calls.add("first:" + Thread.currentThread().getName()));
        ns.use(s -> calls.add("second"));
        ns.use(s -> {
            if (s.handshake().auth().isMissingNode()) {
                throw new IllegalStateException("boom");
            }
        });
        FakeEngineSocket engine = open();
        engine.receive("0/m,");
        assertThat(engine.nextText(WAIT)).isEqualTo("4/m,{\"message\":\"server error\"}");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).startsWith("first:sio-worker-");
        assertThat(calls.get(1)).isEqualTo("second");
        engine.receive("0/m,{}");
        assertThat(engine.nextText(WAIT)).startsWith("0/m,{\"sid\":");
    }

    @Test
    void eventsOfOneSocketRunInOrderOnWorkerThreads() throws Exception {
        LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
        core.of("/").onConnection(socket -> socket.on("n", ev -> {
            seen.add(ev.arg(0).asText() + "@" + Thread.currentThread().getName());
        }));
        FakeEngineSocket engine = open();
        connect(engine, "/");
        for (int i = 0; i < 200; i++) {
            engine.receive("2[\"n\"," + i + "]");
        }
        for (int i = 0; i < 200; i++) {
            String s = seen.poll(5, TimeUnit.SECONDS);
            assertThat(s).startsWith(i + "@sio-worker-");
        }
    }

    @Test
    void aSlowHandlerOfOneClientDoesNotDelayAnother() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LinkedBlockingQueue<String> done = new LinkedBlockingQueue<>();
        core.of("/").onConnection(socket -> socket.on("work", ev -> {
            if (ev.arg(0).asBoolean()) {
                release.await(10, TimeUnit.SECONDS);
            }
            done.add(ev.arg(1).asText());
        }));
        FakeEngineSocket slow = open();
        FakeEngineSocket fast = open();
        connect(slow, "/");
        connect(fast, "/");
        slow.receive("2[\"work\",true,\"slow\"]");
        fast.receive("2[\"work\",false,\"fast\"]");
        assertThat(done.poll(5, TimeUnit.SECONDS)).isEqualTo("fast");
        release.countDown();
        assertThat(done.poll(5, TimeUnit.SECONDS)).isEqualTo("slow");
    }

    @Test
    void handlerExceptionsAreNotFatal() throws Exception {
        LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
        core.of("/").onConnection(socket -> {
            socket.on("bad", ev -> { throw new IllegalStateException("handler bug"); });
            socket.on("good", ev -> seen.add("good"));
        });
        FakeEngineSocket engine = open();
        connect(engine, "/");
        engine.receive("2[\"bad\"]");
        engine.receive("2[\"good\"]");
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("good");
        assertThat(engine.isOpen()).isTrue();
    }

    @Test
    void clientAckIsSentOnceWithBinary() throws Exception {
        core.of("/a").onConnection(socket -> socket.on("ask", ev -> {
            assertThat(ev.wantsAck()).isTrue();
            ev.ack("answer", new byte[] {1, 2});
            ev.ack("again");
        }));
        FakeEngineSocket engine = open();
        connect(engine, "/a");
        engine.receive("2/a,17[\"ask\"]");
        EngineMessage[] ack = engine.nextBatch(WAIT);
        assertThat(ack[0].text()).isEqualTo("61-/a,17[\"answer\",{\"_placeholder\":true,\"num\":0}]");
        assertThat(ack[1].binary()).containsExactly(1, 2);
        engine.receive("2/a,18[\"ask\"]");
        assertThat(engine.nextBatch(WAIT)[0].text()).startsWith("61-/a,18[");
        assertThat(engine.sent).isEmpty();
    }

    @Test
    void binaryEventFromClientArrivesAsBinaryNode() throws Exception {
        LinkedBlockingQueue<JsonNode> args = new LinkedBlockingQueue<>();
        core.of("/").onConnection(socket -> socket.onAny(ev -> args.add(ev.arg(0))));
        FakeEngineSocket engine = open();
        connect(engine, "/");
        engine.receive("51-[\"up\",{\"_placeholder\":true,\"num\":0}]");
        engine.receiveBinary(new byte[] {7, 7, 7});
        JsonNode arg = args.poll(5, TimeUnit.SECONDS);
        assertThat(arg).isInstanceOf(BinaryNode.class);
        assertThat(arg.binaryValue()).containsExactly(7, 7, 7);
    }

    @Test
    void emitWithAckCompletesTimesOutAndIsFreedOnDisconnect() throws Exception {
        AtomicReference<SocketImpl> ref = new AtomicReference<>();
        core.of("/").onConnection(s -> ref.set((SocketImpl) s));
        FakeEngineSocket engine = open();
        connect(engine, "/");
        Await.until(() -> ref.get() != null, WAIT, "connection");
        SocketImpl socket = ref.get();

        CompletableFuture<List<JsonNode>> answered = socket.emitWithAck("q", Duration.ofSeconds(5), "x");
        assertThat(engine.nextText(WAIT)).isEqualTo("20[\"q\",\"x\"]");
        engine.receive("30[\"a\",2]");
        assertThat(answered.get(5, TimeUnit.SECONDS)).extracting(JsonNode::asText).containsExactly("a", "2");

        CompletableFuture<List<JsonNode>> silent = socket.emitWithAck("q", Duration.ofMillis(100));
        engine.nextText(WAIT);
        assertThatThrownBy(() -> silent.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);

        CompletableFuture<List<JsonNode>> orphan = socket.emitWithAck("q", Duration.ofSeconds(30));
        engine.nextText(WAIT);
        assertThat(socket.pendingAcks()).isEqualTo(1);
        engine.closeFromEngine("transport close");
        assertThatThrownBy(() -> orphan.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(socket.pendingAcks()).isZero();
        // a late or unknown ack id is ignored
        assertThat(socket.emitWithAck("q", Duration.ofSeconds(1))).isCompletedExceptionally();
    }

    @Test
    void broadcastIsEncodedOnceAndHandsTheSameMessagesToEveryRecipient() throws Exception {
        NamespaceImpl ns = core.of("/b");
        ns.onConnection(s -> s.join("room"));
        FakeEngineSocket a = open();
        FakeEngineSocket b = open();
        FakeEngineSocket c = open();
        connect(a, "/b");
        connect(b, "/b");
        connect(c, "/b");
        Await.until(() -> ns.rooms().getOrDefault("room", 0) == 3, WAIT, "three in room");
        assertThat(ns.to("room").emit("tick", Map.of("n", 1), new byte[] {3})).isEqualTo(3);
        EngineMessage[] ma = a.nextBatch(WAIT);
        EngineMessage[] mb = b.nextBatch(WAIT);
        EngineMessage[] mc = c.nextBatch(WAIT);
        assertThat(ma[0]).isSameAs(mb[0]).isSameAs(mc[0]);
        assertThat(ma[1]).isSameAs(mb[1]).isSameAs(mc[1]);
        assertThat(ma[0].text()).isEqualTo("51-/b,[\"tick\",{\"n\":1},{\"_placeholder\":true,\"num\":0}]");
    }

    @Test
    void toExceptAndSenderExclusion() throws Exception {
        NamespaceImpl ns = core.of("/r");
        FakeEngineSocket a = open();
        FakeEngineSocket b = open();
        FakeEngineSocket c = open();
        SocketImpl sa = (SocketImpl) ns.socket(connect(a, "/r"));
        SocketImpl sb = (SocketImpl) ns.socket(connect(b, "/r"));
        SocketImpl sc = (SocketImpl) ns.socket(connect(c, "/r"));
        sa.join("red");
        sb.join("red");
        sb.join("blue");
        sc.join("blue");

        assertThat(sa.to("red").emit("m", 1)).isEqualTo(1); // sender excluded
        assertThat(b.nextText(WAIT)).isEqualTo("2/r,[\"m\",1]");
        assertThat(ns.to("red", "blue").emit("m", 2)).isEqualTo(3); // union, each once
        assertThat(ns.except("blue").emit("m", 3)).isEqualTo(1);
        assertThat(ns.to("red").except("blue").emit("m", 4)).isEqualTo(1);
        assertThat(ns.to(sc.id()).emit("m", 5)).isEqualTo(1); // the private id room
        assertThat(a.sent).hasSize(3);
        assertThat(b.sent).hasSize(1);
        assertThat(c.sent).hasSize(2);
        assertThat(ns.rooms()).containsOnly(Map.entry("red", 2), Map.entry("blue", 2));
        sb.leave("red");
        assertThat(sb.rooms()).containsExactlyInAnyOrder(sb.id(), "blue");
        assertThat(ns.to("red").emit("m", 6)).isEqualTo(1);
    }

    @Test
    void volatileBroadcastUsesSendVolatile() throws Exception {
        NamespaceImpl ns = core.of("/v");
        FakeEngineSocket a = open();
        FakeEngineSocket b = open();
        connect(a, "/v");
        connect(b, "/v");
        b.acceptVolatile = false;
        assertThat(ns.to().droppable().emit("v", 1)).isEqualTo(1);
        assertThat(a.nextText(WAIT)).isEqualTo("2/v,[\"v\",1]");
        assertThat(b.sent).isEmpty();
    }

    @Test
    void disconnectReasonsAndCleanup() throws Exception {
        NamespaceImpl ns = core.of("/d");
        LinkedBlockingQueue<String> reasons = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Socket> sockets = new LinkedBlockingQueue<>();
        ns.onConnection(s -> {
            s.join("room");
            s.onDisconnect(reason -> reasons.add(s.id() + ":" + reason));
            sockets.add(s);
        });
        FakeEngineSocket a = open();
        String idA = connect(a, "/d");
        a.receive("1/d,");
        assertThat(reasons.poll(5, TimeUnit.SECONDS)).isEqualTo(idA + ":client namespace disconnect");
        assertThat(ns.socketCount()).isZero();
        assertThat(ns.adapter().roomSizes()).isEmpty();
        assertThat(a.isOpen()).isTrue();

        FakeEngineSocket b = open();
        String idB = connect(b, "/d");
        String idB2 = connect(b, "/");
        assertThat(idB2).isNotEqualTo(idB);
        b.closeFromEngine("ping timeout");
        assertThat(reasons.poll(5, TimeUnit.SECONDS)).isEqualTo(idB + ":ping timeout");
        assertThat(core.namespace("/").socketCount()).isZero();

        FakeEngineSocket c = open();
        String idC = connect(c, "/d");
        sockets.clear();
        Socket sc = ns.socket(idC);
        sc.disconnect(false);
        assertThat(c.nextText(WAIT)).isEqualTo("1/d,");
        assertThat(reasons.poll(5, TimeUnit.SECONDS)).isEqualTo(idC + ":server namespace disconnect");
        assertThat(sc.connected()).isFalse();
        sc.emit("ignored");
        assertThat(c.sent).isEmpty();
        assertThat(c.isOpen()).isTrue();

        FakeEngineSocket d = open();
        String idD = connect(d, "/d");
        ns.socket(idD).disconnect(true);
        assertThat(d.nextText(WAIT)).isEqualTo("1/d,");
        assertThat(d.awaitClosed(WAIT)).isTrue();
        Await.until(() -> core.clientCount() == 2, WAIT, "closed clients forgotten");
    }

    @Test
    void connectTimeoutClosesASessionThatJoinedNoNamespace() throws Exception {
        core.stopAccepting();
        core.shutdown(System.nanoTime());
        core = newCore(Duration.ofMillis(200));
        FakeEngineSocket idle = open();
        FakeEngineSocket joined = open();
        connect(joined, "/");
        assertThat(idle.awaitClosed(WAIT)).isTrue();
        assertThat(joined.isOpen()).isTrue();
    }

    @Test
    void garbageClosesTheConnectionWithParseError() throws Exception {
        LinkedBlockingQueue<String> reasons = new LinkedBlockingQueue<>();
        core.of("/").onConnection(s -> s.onDisconnect(reasons::add));
        FakeEngineSocket engine = open();
        connect(engine, "/");
        engine.receive("2[\"unterminated\"");
        assertThat(engine.awaitClosed(WAIT)).isTrue();
        assertThat(engine.closeReason.get()).isEqualTo("parse error");
        assertThat(reasons.poll(5, TimeUnit.SECONDS)).isEqualTo("parse error");

        FakeEngineSocket binary = open();
        binary.receiveBinary(new byte[] {1});
        assertThat(binary.closeReason.get()).isEqualTo("parse error");
    }

    @Test
    void invalidStatePacketsCloseTheConnection() throws Exception {
        FakeEngineSocket eventBeforeConnect = open();
        eventBeforeConnect.receive("2[\"early\"]");
        assertThat(eventBeforeConnect.awaitClosed(WAIT)).isTrue();

        FakeEngineSocket doubleConnect = open();
        connect(doubleConnect, "/");
        doubleConnect.receive("0");
        assertThat(doubleConnect.awaitClosed(WAIT)).isTrue();

        FakeEngineSocket connectError = open();
        connect(connectError, "/");
        connectError.receive("4{\"message\":\"x\"}");
        assertThat(connectError.awaitClosed(WAIT)).isTrue();
    }

    @Test
    void socketIoV2ClientsJoinTheMainNamespaceImplicitly() throws Exception {
        NamespaceImpl admin = core.of("/admin");
        LinkedBlockingQueue<JsonNode> auths = new LinkedBlockingQueue<>();
        admin.use(s -> {
            auths.add(s.handshake().auth());
            if (!"abc".equals(s.handshake().auth().path("token").asText())) {
                throw new ConnectError("Not authorized");
            }
        });
        FakeEngineSocket v2 = new FakeEngineSocket(3, Map.of());
        core.accept(v2);
        assertThat(v2.nextText(WAIT)).isEqualTo("0");
        assertThat(core.namespace("/").socketCount()).isEqualTo(1);

        v2.receive("0/admin?token=abc,");
        assertThat(v2.nextText(WAIT)).isEqualTo("0/admin,");
        assertThat(auths.poll(5, TimeUnit.SECONDS).get("token").asText()).isEqualTo("abc");

        FakeEngineSocket refused = new FakeEngineSocket(3, Map.of());
        core.accept(refused);
        refused.nextText(WAIT);
        refused.receive("0/admin?token=no%20pe,");
        assertThat(refused.nextText(WAIT)).isEqualTo("4/admin,\"Not authorized\"");
        assertThat(auths.poll(5, TimeUnit.SECONDS).get("token").asText()).isEqualTo("no pe");
        refused.receive("0/nope,");
        assertThat(refused.nextText(WAIT)).isEqualTo("4/nope,\"Invalid namespace\"");
    }

    @Test
    void closingStopsAcceptingAndClosesTransports() throws Exception {
        FakeEngineSocket engine = open();
        connect(engine, "/");
        core.stopAccepting();
        core.closeAllConnections("server shutting down");
        assertThat(engine.closeReason.get()).isEqualTo("server shutting down");
        assertThat(engine.sent).isEmpty(); // no Socket.IO DISCONNECT: the client reconnects
        assertThat(core.awaitNoClients(System.nanoTime() + WAIT.toNanos())).isTrue();
        FakeEngineSocket late = new FakeEngineSocket();
        core.accept(late);
        assertThat(late.isOpen()).isFalse();
    }

    @Test
    void reservedEventNamesCannotBeEmitted() {
        assertThatThrownBy(() -> core.namespace("/").emit("disconnect")).isInstanceOf(IllegalArgumentException.class);
    }
}
