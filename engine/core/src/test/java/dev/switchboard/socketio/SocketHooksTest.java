package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * The engine's hooks with the real socket.io-client: {@link Socket#use} interceptors see every event before its
 * handler and can drop it; the {@link SocketIoMetricsTracker} hears connects, disconnects, events in, refused and
 * sent (direct emits and broadcasts).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SocketHooksTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Counts what the engine reports, per namespace. */
    static final class CountingTracker implements SocketIoMetricsTracker {
        final AtomicInteger connected = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger sent = new AtomicInteger();
        final List<String> refused = new CopyOnWriteArrayList<>();
        final List<String> disconnects = new CopyOnWriteArrayList<>();

        @Override
        public void socketConnected(Socket socket) {
            connected.incrementAndGet();
        }

        @Override
        public void socketDisconnected(Socket socket, String reason) {
            disconnects.add(reason);
        }

        @Override
        public void eventReceived(Event event) {
            received.incrementAndGet();
        }

        @Override
        public void eventRefused(Event event, String reason) {
            refused.add(event.name() + ":" + reason);
        }

        @Override
        public void eventsSent(int count) {
            sent.addAndGet(count);
        }
    }

    @Test
    void interceptorsRunInOrderBeforeHandlersAndARefusalDropsTheEvent() {
        Map<String, CountingTracker> trackers = new ConcurrentHashMap<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .metricsTracker(ns -> trackers.computeIfAbsent(ns.name(), n -> new CountingTracker()))
                .build();
             NodeClientDriver driver = NodeClientDriver.start()) {
            Namespace ns = io.of("/hooks");
            ns.onConnection(socket -> {
                socket.use(event -> seen.add("first:" + event.name()));
                socket.use(event -> {
                    if (event.name().startsWith("blocked")) {
                        if (event.wantsAck()) {
                            event.ack(Map.of("ok", false, "code", "BLOCKED"));
                        }
                        throw new EventRefusal("blocked");
                    }
                });
                socket.on("echo", ev -> ev.ack(ev.arg(0)));
                socket.on("blocked", ev -> seen.add("handler ran for a refused event"));
            });
            io.start();
            NodeSocket client = driver.connect("http://127.0.0.1:" + io.port(), "/hooks",
                    ClientOptions.defaults().transports("websocket").reconnection(false));
            client.awaitConnect(WAIT);

            assertThat(client.emitWithAck("blocked", WAIT, 1).get(0).path("code").asText()).isEqualTo("BLOCKED");
            client.emit("blocked-without-handler");
            assertThat(client.emitWithAck("echo", WAIT, "hi").get(0).asText()).isEqualTo("hi");
            client.emit("no-handler");
            CountingTracker tracker = trackers.get("/hooks");
            Await.until(() -> tracker.received.get() == 4, WAIT, "4 events received");
            // The tracker hears an event before the interceptors run: wait for the last one to have passed them.
            Await.until(() -> seen.size() == 4, WAIT, "4 events through the first interceptor");

            assertThat(seen).containsExactly("first:blocked", "first:blocked-without-handler", "first:echo",
                    "first:no-handler");
            assertThat(tracker.refused).containsExactly("blocked:blocked", "blocked-without-handler:blocked");
            assertThat(tracker.connected).hasValue(1);
        }
    }

    @Test
    void trackerCountsEmitsAndBroadcastsPerRecipientAndTheDisconnect() {
        Map<String, CountingTracker> trackers = new ConcurrentHashMap<>();
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .metricsTracker(ns -> ns.name().equals("/untracked") ? SocketIoMetricsTracker.NONE
                        : trackers.computeIfAbsent(ns.name(), n -> new CountingTracker()))
                .build();
             NodeClientDriver driver = NodeClientDriver.start()) {
            Namespace ns = io.of("/counted");
            io.of("/untracked");
            ns.onConnection(socket -> socket.emit("hello", 1));
            io.start();
            String url = "http://127.0.0.1:" + io.port();
            ClientOptions opts = ClientOptions.defaults().transports("websocket").reconnection(false);
            NodeSocket a = driver.connect(url, "/counted", opts);
            NodeSocket b = driver.connect(url, "/counted", opts);
            a.awaitConnect(WAIT);
            b.awaitConnect(WAIT);
            a.awaitEvent("hello", WAIT);
            b.awaitEvent("hello", WAIT);
            CountingTracker tracker = trackers.get("/counted");
            // a socket's emit is counted after it was handed to the transport: the client may have it first
            Await.until(() -> tracker.sent.get() == 2, WAIT, "both greetings counted");

            assertThat(ns.emit("news", "x")).isEqualTo(2);
            a.awaitEvent("news", WAIT);
            b.awaitEvent("news", WAIT);
            assertThat(tracker.sent).as("a broadcast counts each socket it reached").hasValue(4);
            assertThat(ns.to("nobody").emit("news", "y")).isZero();
            assertThat(tracker.sent).hasValue(4);

            a.disconnect();
            Await.until(() -> tracker.disconnects.contains("client namespace disconnect"), WAIT, "disconnect tracked");
            assertThat(trackers).containsOnlyKeys("/", "/counted");
        }
    }
}
