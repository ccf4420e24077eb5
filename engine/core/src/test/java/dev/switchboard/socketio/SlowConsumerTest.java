package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.RawWebSocket;

/**
 * A client that stops reading is cut at the outbound hard bound ("slow consumer") while a reading client in the
 * same room keeps receiving everything; volatile packets for it are dropped and counted first.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowConsumerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long SOFT = 64 * 1024;
    private static final long HARD = 512 * 1024;

    @Test
    void stuckClientIsDisconnectedAtTheHardBoundAndTheOtherKeepsReceiving() throws Exception {
        LinkedBlockingQueue<String> reasons = new LinkedBlockingQueue<>();
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0)
                        .outboundSoftLimit(SOFT).outboundHardLimit(HARD).build())
                .build();
             NodeClientDriver driver = NodeClientDriver.start()) {
            Namespace ns = io.of("/feed").onConnection(socket -> {
                socket.join("room");
                socket.onDisconnect(reason -> reasons.add(socket.id() + ":" + reason));
            });
            io.start();
            NodeSocket reader = driver.connect("http://127.0.0.1:" + io.port(), "/feed",
                    ClientOptions.defaults().transports("websocket").reconnection(false));
            String readerId = reader.awaitConnect(WAIT).path("sid").asText();
            try (RawWebSocket stuck = stuckClient(io.port(), "/feed")) {
                Await.until(() -> ns.socketCount() == 2, WAIT, "both in the room");
                String stuckId = ns.sockets().stream().map(Socket::id).filter(id -> !id.equals(readerId))
                        .findFirst().orElseThrow();
                SocketImpl readerSocket = (SocketImpl) ns.socket(readerId);
                String chunk = "x".repeat(16 * 1024);
                int sent = 0;
                long deadline = System.nanoTime() + WAIT.toNanos();
                // bounded: at most 2,000 x 16 KiB (32 MiB) or 20 s; the reader is paced so it never trips the bound
                while (ns.socket(stuckId) != null && sent < 2_000 && System.nanoTime() < deadline) {
                    ns.to("room").emit("chunk", sent, chunk);
                    ns.to("room").droppable().emit("tick", sent);
                    sent++;
                    Await.until(() -> readerSocket.client().engine().bufferedBytes() < SOFT, WAIT, "reader drained");
                }
                assertThat(ns.socket(stuckId)).as("stuck client cut after %d chunks", sent).isNull();
                assertThat(reasons.poll(10, TimeUnit.SECONDS)).isEqualTo(stuckId + ":slow consumer");
                assertThat(io.metrics().slowConsumerDisconnects()).isEqualTo(1);
                assertThat(io.metrics().droppedVolatile()).isPositive();

                // the reader is still connected and got every chunk, in order, and keeps receiving
                ns.to("room").emit("chunk", sent, "after");
                List<JsonNode> chunks = reader.awaitEvents("chunk", sent + 1, WAIT);
                for (int i = 0; i <= sent; i++) {
                    assertThat(chunks.get(i).get(0).asInt()).isEqualTo(i);
                }
                assertThat(reader.state().path("connected").asBoolean()).isTrue();
                assertThat(ns.socket(readerId)).isNotNull();
                assertThat(reasons).isEmpty();
                assertThat(sent).isGreaterThan((int) (HARD / chunk.length())); // it took more than the bound itself
            }
        }
    }

    /** Joins the namespace over a raw WebSocket with a tiny receive buffer, then never reads again. */
    private static RawWebSocket stuckClient(int port, String namespace) throws IOException {
        RawWebSocket ws = RawWebSocket.to(port).receiveBuffer(4096).timeout(Duration.ofSeconds(10)).open();
        try {
            ws.awaitOpen();
            ws.sendText("40" + namespace + ",");
            assertThat(ws.nextText()).startsWith("40" + namespace + ",{");
            return ws;
        } catch (IOException | RuntimeException | AssertionError e) {
            ws.close();
            throw e;
        }
    }
}
