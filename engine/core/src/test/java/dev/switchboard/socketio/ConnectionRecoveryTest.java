package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/** Connection state recovery with the real socket.io-client 4.8: transport cut mid-stream, replay, eviction. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectionRecoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static NodeClientDriver driver;

    @BeforeAll
    static void startDriver() {
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stopDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    private static SocketIoServer server(int maxPackets, long maxBytes) {
        SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .connectionStateRecovery(Duration.ofMinutes(2), maxPackets, maxBytes)
                .build();
        io.of("/live").onConnection(socket -> socket.on("join", ev -> {
            socket.join(ev.arg(0).asText());
            ev.ack(socket.recovered());
        }));
        return io.start();
    }

    /** Reconnects 2 s after losing the transport, WebSocket only (so "destroy" drops a TCP connection). */
    private static ClientOptions cutTwoSeconds() {
        return ClientOptions.defaults().transports("websocket").reconnectionDelay(Duration.ofMillis(2000))
                .set("randomizationFactor", 0);
    }

    @Test
    void transportCutForTwoSecondsMidStreamIsRecoveredWithEveryEventInOrder() throws Exception {
        try (SocketIoServer io = server(10_000, 8 << 20)) {
            String url = "http://127.0.0.1:" + io.port();
            NodeSocket client = driver.connect(url, "/live", cutTwoSeconds());
            String socketId = client.awaitConnect(WAIT).path("sid").asText();
            assertThat(client.emitWithAck("join", WAIT, "feed").get(0).asBoolean()).isFalse();

            Namespace live = io.of("/live");
            Thread producer = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    live.to("feed").emit("tick", i);
                    LockSupport.parkNanos(3_000_000); // ~3 s of traffic: the cut falls in the middle of it
                }
            }, "tick-producer");
            producer.start();
            client.awaitEvents("tick", 150, WAIT);
            assertThat(client.closeTransport("destroy")).isNotEmpty();
            Await.until(() -> live.socketCount() == 0, WAIT, "server saw the transport drop");
            int beforeCut = client.events("tick").size();

            JsonNode reconnect = client.awaitLifecycle("connect", 2, WAIT);
            assertThat(reconnect.path("recovered").asBoolean()).isTrue();
            List<JsonNode> ticks = client.awaitEvents("tick", 1000, WAIT);
            producer.join(10_000);

            assertThat(beforeCut).isLessThan(900); // the cut really happened mid-stream
            assertThat(ticks).hasSize(1000);
            long lastOffset = -1;
            for (int i = 0; i < ticks.size(); i++) {
                JsonNode args = ticks.get(i);
                assertThat(args.get(0).asInt()).as("tick #%d", i).isEqualTo(i);
                String raw = args.get(1).asText(); // the offset Node's client tracks: "<sequence>-<epoch>"
                assertThat(raw).matches("[0-9]+-[0-9a-z]+");
                long offset = Long.parseLong(raw.substring(0, raw.indexOf('-')));
                assertThat(offset).isGreaterThan(lastOffset);
                lastOffset = offset;
            }
            JsonNode state = client.state();
            assertThat(state.path("recovered").asBoolean()).isTrue();
            assertThat(state.path("sid").asText()).isEqualTo(socketId);
            assertThat(live.socket(socketId).rooms()).contains("feed");
            assertThat(live.socket(socketId).recovered()).isTrue();
            // counted on the I/O thread after the CONNECT reply and the missed packets went out: the client may
            // hold all 1000 ticks before the counter moves
            Await.until(() -> io.metrics().recoveredSessions() == 1, WAIT, "the recovery counted");
            client.emitWithAck("join", WAIT, "feed"); // a round trip: anything still queued before it has arrived
            assertThat(client.events("tick")).hasSize(1000);
            client.disconnect();
        }
    }

    /** What the client missed no longer fits the buffer (by packet count, then by bytes). */
    @ParameterizedTest(name = "maxPackets={0} maxBytes={1}")
    @CsvSource({"50, 8388608", "10000, 4096"})
    void evictedBacklogGivesACleanNonRecoveredReconnect(int maxPackets, long maxBytes) {
        try (SocketIoServer io = server(maxPackets, maxBytes)) {
            NodeSocket client = driver.connect("http://127.0.0.1:" + io.port(), "/live", cutTwoSeconds());
            String socketId = client.awaitConnect(WAIT).path("sid").asText();
            client.emitWithAck("join", WAIT, "feed");
            Namespace live = io.of("/live");
            String payload = "p".repeat(100);
            for (int i = 0; i < 5; i++) {
                live.to("feed").emit("tick", i, payload);
            }
            client.awaitEvents("tick", 5, WAIT);
            client.closeTransport("destroy");
            Await.until(() -> live.socketCount() == 0, WAIT, "server saw the transport drop");
            for (int i = 5; i < 205; i++) { // 200 x ~120 bytes: more than either bound holds
                live.to("feed").emit("tick", i, payload);
            }

            JsonNode reconnect = client.awaitLifecycle("connect", 2, WAIT);
            assertThat(reconnect.path("recovered").asBoolean()).isFalse();
            assertThat(reconnect.path("sid").asText()).isNotEqualTo(socketId);
            assertThat(client.state().path("recovered").asBoolean()).isFalse();
            Await.until(() -> live.socketCount() == 1, WAIT, "new socket admitted");
            Socket fresh = live.sockets().iterator().next();
            assertThat(fresh.recovered()).isFalse();
            assertThat(fresh.rooms()).containsExactly(fresh.id()); // a fresh session: no rooms carried over
            assertThat(io.metrics().unrecoveredReconnects()).isEqualTo(1);
            assertThat(io.metrics().recoveredSessions()).isZero();
            assertThat(client.events("tick")).hasSize(5); // nothing partial was replayed
            client.disconnect();
        }
    }

    @Test
    void connectReplyCarriesPidOnlyWhenRecoveryIsOn() {
        try (SocketIoServer io = server(10, 10_000)) {
            NodeSocket client = driver.connect("http://127.0.0.1:" + io.port(), "/live",
                    ClientOptions.defaults().transports("websocket").reconnection(false));
            client.awaitConnect(WAIT);
            SocketImpl socket = (SocketImpl) io.of("/live").sockets().iterator().next();
            assertThat(socket.pid()).hasSize(20).isNotEqualTo(socket.id());
            // a made-up pid/offset is refused quietly: a new session
            NodeSocket forger = driver.connect("http://127.0.0.1:" + io.port(), "/live",
                    ClientOptions.defaults().transports("websocket").reconnection(false)
                            .auth(java.util.Map.of("pid", socket.pid() + "x", "offset", "1")));
            assertThat(forger.awaitConnect(WAIT).path("recovered").asBoolean()).isFalse();
            assertThat(io.metrics().unrecoveredReconnects()).isEqualTo(1);
        }
        try (SocketIoServer plain = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build()).build()) {
            plain.of("/live");
            plain.start();
            NodeSocket client = driver.connect("http://127.0.0.1:" + plain.port(), "/live",
                    ClientOptions.defaults().transports("websocket").reconnection(false));
            client.awaitConnect(WAIT);
            assertThat(((SocketImpl) plain.of("/live").sockets().iterator().next()).pid()).isNull();
        }
    }
}
