package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.RawWebSocket;

/**
 * A binary packet whose attachments never all arrive is held by its connection's decoder. Each connection was held
 * to maxPayload, but with no time limit and nothing summed over connections: an anonymous client that never joins a
 * namespace held up to 1 MB in each of its 1000 sessions, ~1 GB on a 512 MiB heap. Now the attachments must arrive
 * within a deadline of their header, and what all unfinished packets hold together stays within a server-wide
 * budget; a connection past either is closed as a parse error.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnfinishedBinaryPacketsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int SESSIONS = 16;
    private static final int ATTACHMENT = 200_000;
    private static final long BUDGET = 1 << 20;

    @Test
    void partialPacketsOfManySessionsHoldAtMostTheBudgetTogetherAndTheRestAreClosed() throws Exception {
        try (SocketIoServer io = server(BUDGET, UnfinishedPackets.DEFAULT_TIMEOUT);
             NodeClientDriver driver = NodeClientDriver.start()) {
            List<RawWebSocket> attackers = new ArrayList<>();
            try {
                for (int i = 0; i < SESSIONS; i++) { // never join a namespace: announce 2 attachments, send 1
                    RawWebSocket ws = RawWebSocket.engineIo(io.port());
                    attackers.add(ws);
                    ws.awaitOpen();
                    try {
                        ws.sendText("452-/work," + PlaceholderEvents.withAttachments("upload", 2));
                        ws.sendBinary(new byte[ATTACHMENT]);
                    } catch (IOException closedWhileSending) {
                        // closed at the budget: what this test expects past it
                    }
                }
                SocketIoCore core = io.core();
                // every session still open holds its header and attachment, and those past the budget are gone
                Await.until(() -> core.clientCount() > 0 && core.sum(UnfinishedBinaryPacketsTest::holdsOne) == core.clientCount()
                                && core.sum(ClientConnection::unfinishedHeapBytes) >= (long) core.clientCount() * ATTACHMENT,
                        WAIT, "every frame sent was handled");
                long held = core.sum(ClientConnection::unfinishedHeapBytes);
                long holding = core.sum(UnfinishedBinaryPacketsTest::holdsOne);
                assertThat(held).as("heap held by %d sessions' unfinished packets (budget %d)", holding, BUDGET)
                        .isLessThanOrEqualTo(BUDGET);
                assertThat(holding).as("sessions holding a packet").isBetween(1L, (long) (BUDGET / ATTACHMENT));
                assertThat(core.unfinishedPackets().held()).isEqualTo(held);
            } finally {
                for (RawWebSocket ws : attackers) {
                    ws.close();
                }
            }
            Await.until(() -> io.core().unfinishedPackets().held() == 0, WAIT, "closed sessions give their share back");

            NodeSocket normal = driver.connect("http://127.0.0.1:" + io.port(), "/work", ClientOptions.defaults());
            normal.awaitConnect(WAIT);
            assertThat(normal.emitWithAck("size", WAIT, (Object) new byte[900 * 1024]).get(0).asLong())
                    .isEqualTo(900 * 1024);
        }
    }

    @Test
    void attachmentsThatDoNotArriveWithinTheDeadlineCloseTheConnection() throws Exception {
        try (SocketIoServer io = server(BUDGET, Duration.ofSeconds(1));
             RawWebSocket client = RawWebSocket.to(io.port()).answerEnginePings().open()) {
            client.awaitOpen();
            client.sendText("40/work,");
            assertThat(client.nextText()).startsWith("40/work,{");
            client.sendText("452-/work," + PlaceholderEvents.withAttachments("upload", 2));
            client.sendBinary(new byte[ATTACHMENT]); // the second never comes
            assertThat(client.awaitClosed(WAIT)).as("closed once the attachments were late").isTrue();
            // the share is given back first, the connection (with its decoder's packet) removed after it in the close
            Await.until(() -> io.core().unfinishedPackets().held() == 0
                    && io.core().sum(ClientConnection::unfinishedHeapBytes) == 0, WAIT, "the packet's share given back");
        }
    }

    @Test
    void aBinaryUploadNearMaxPayloadStillWorksWithTheDefaultBounds() throws Exception {
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .build();
             NodeClientDriver driver = NodeClientDriver.start()) {
            handlers(io);
            io.start();
            NodeSocket normal = driver.connect("http://127.0.0.1:" + io.port(), "/work", ClientOptions.defaults());
            normal.awaitConnect(WAIT);
            assertThat(normal.emitWithAck("size", WAIT, (Object) new byte[900 * 1024]).get(0).asLong())
                    .isEqualTo(900 * 1024);
            assertThat(io.core().unfinishedPackets().held()).isZero();
        }
    }

    private static SocketIoServer server(long budget, Duration timeout) {
        SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .unfinishedPackets(budget, timeout)
                .build();
        handlers(io);
        return io.start();
    }

    private static void handlers(SocketIoServer io) {
        io.of("/work").onConnection(socket -> socket.on("size", event -> {
            long total = 0;
            for (var arg : event.args()) {
                total += arg.binaryValue().length;
            }
            event.ack(total);
        }));
    }

    /** 1 for a connection holding a binary packet that waits for attachments. */
    private static long holdsOne(ClientConnection client) {
        return client.unfinishedHeapBytes() > 0 ? 1 : 0;
    }
}
