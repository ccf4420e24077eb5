package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.socketio.parser.DecodedSize;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.RawWebSocket;

/**
 * A client that sends events faster than its handlers run is closed at the inbound bound, instead of growing
 * the server's heap; other clients of the same namespace are served as before.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InboundLimitTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void floodingClientIsClosedAtTheBoundAndOthersAreServed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .inboundLimit(new InboundLimit(50, 1 << 20))
                .build();
             NodeClientDriver driver = NodeClientDriver.start()) {
            io.of("/work").onConnection(socket -> {
                socket.on("slow", event -> release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                socket.on("ping", event -> event.ack("pong"));
            });
            io.start();

            try (RawWebSocket flooder = RawWebSocket.engineIo(io.port())) {
                flooder.awaitOpen();
                flooder.sendText("40/work,");
                assertThat(flooder.nextText()).startsWith("40/work,{");
                int sent = 0;
                try {
                    for (; sent < 200; sent++) { // the first blocks its handler; the bound is 50 pending
                        flooder.sendText("42/work,[\"slow\"," + sent + "]");
                    }
                } catch (IOException closedWhileSending) {
                    // the server closed the connection mid-flood: what this test expects
                }
                assertThat(sent).as("events sent before the close").isGreaterThan(50);
                assertThat(flooder.awaitClosed(WAIT)).as("connection closed at the inbound bound").isTrue();
            }

            NodeSocket other = driver.connect("http://127.0.0.1:" + io.port(), "/work", ClientOptions.defaults());
            other.awaitConnect(WAIT);
            assertThat(other.emitWithAck("ping", WAIT).get(0).asText()).isEqualTo("pong");
        } finally {
            release.countDown();
        }
    }

    /**
     * The queue holds decoded trees, not bytes: 100 KB of {@code [{},{},...]} is ~2.4 MB of Jackson nodes. Counted
     * by wire bytes, 32 MiB queued behind a slow handler (a /deployments list waiting for a hung PM2, a /files
     * watch reading a large tree, or every worker busy) was ~800 MB of trees on a 512 MiB heap.
     */
    @Test
    void queuedEventsCountTheirDecodedTreesNotTheirWireBytes() throws Exception {
        int events = 30;
        long bound = 4 << 20;
        String event = "42/work,[\"e\"," + emptyObjects(100_000) + "]"; // ~100 KB on the wire
        long tree = DecodedSize.of(new ObjectMapper().readTree(event.substring("42/work,".length())));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger reachedHandler = new AtomicInteger();
        AtomicBoolean disconnected = new AtomicBoolean();
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .inboundLimit(new InboundLimit(10_000, bound))
                .build()) {
            io.of("/work").onConnection(socket -> {
                socket.on("slow", e -> release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                socket.on("e", e -> reachedHandler.incrementAndGet());
                socket.onDisconnect(reason -> disconnected.set(true)); // queued behind the events admitted
            });
            io.start();
            try (RawWebSocket flooder = RawWebSocket.engineIo(io.port())) {
                flooder.awaitOpen();
                flooder.sendText("40/work,");
                assertThat(flooder.nextText()).startsWith("40/work,{");
                flooder.sendText("42/work,[\"slow\"]"); // holds the socket's queue: what follows waits in it
                try {
                    for (int i = 0; i < events; i++) {
                        flooder.sendText(event);
                    }
                } catch (IOException closedWhileSending) {
                    // closed at the bound: what this test expects
                }
                Await.until(() -> io.core().clientCount() == 0 || io.core().sum(ClientConnection::pendingInboundEvents) == events + 1,
                        WAIT, "every event sent was queued, or the connection closed");
                release.countDown();
                Await.until(() -> disconnected.get() || reachedHandler.get() == events, WAIT, "the queue drained");
                long held = reachedHandler.get() * tree;
                assertThat(held).as("%d events of %d B on the wire queued at once: %d B of trees (bound %d B)",
                        reachedHandler.get(), event.length(), held, bound).isLessThanOrEqualTo(bound);
                assertThat(flooder.awaitClosed(WAIT)).as("connection closed at the inbound bound").isTrue();
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void anEventLargerThanTheBoundOnceDecodedStillReachesItsHandlerWhenNothingElseWaits() throws Exception {
        List<Map<String, Object>> emptyObjects = Collections.nCopies(30_000, Map.of()); // ~90 KB, ~2.4 MB decoded
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .inboundLimit(new InboundLimit(10_000, 1 << 20))
                .build();
             NodeClientDriver driver = NodeClientDriver.start()) {
            io.of("/work").onConnection(socket -> socket.on("count", event -> event.ack(event.arg(0).size())));
            io.start();
            NodeSocket client = driver.connect("http://127.0.0.1:" + io.port(), "/work", ClientOptions.defaults());
            client.awaitConnect(WAIT);
            for (int i = 0; i < 3; i++) { // one after the other, as a client awaiting its acks sends them
                assertThat(client.emitWithAck("count", WAIT, emptyObjects).get(0).asInt()).isEqualTo(30_000);
            }
        }
    }

    private static String emptyObjects(int bytes) {
        StringBuilder json = new StringBuilder(bytes + 3).append('[');
        while (json.length() < bytes) {
            json.append(json.length() == 1 ? "{}" : ",{}");
        }
        return json.append(']').toString();
    }
}
