package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.RawWebSocket;

/**
 * A binary packet arrives as a header and then one WebSocket message per attachment, each within maxPayload on
 * its own: the packet as a whole is held to maxPayload (as a polling body already is), and counts in full
 * against the connection's inbound bound. Without that, a client announcing 10 attachments and never sending
 * the last kept ~9 x maxPayload per session for as long as it answered pings.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BinaryPacketBoundsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MAX_PAYLOAD = 64 * 1024;
    private static final int ATTACHMENT = 60 * 1024; // each below maxPayload on its own

    @Test
    void aBinaryPacketLargerThanMaxPayloadInTotalClosesItsConnectionAndOthersAreServed() throws Exception {
        try (SocketIoServer io = server(InboundLimit.DEFAULT);
             NodeClientDriver driver = NodeClientDriver.start()) {
            try (RawWebSocket attacker = joined(io)) {
                attacker.sendText("4510-/work," + PlaceholderEvents.withAttachments("upload", 10)); // announces 10 attachments
                int sent = 0;
                try {
                    for (; sent < 9; sent++) { // never the 10th: the packet stays incomplete
                        attacker.sendBinary(new byte[ATTACHMENT]);
                    }
                } catch (IOException closedWhileSending) {
                    // the server closed the connection mid-packet: what this test expects
                }
                assertThat(attacker.awaitClosed(WAIT)).as("connection closed once the packet passed maxPayload (%d attachments of %d B sent)",
                        sent, ATTACHMENT).isTrue();
            }

            NodeSocket other = driver.connect("http://127.0.0.1:" + io.port(), "/work", ClientOptions.defaults());
            other.awaitConnect(WAIT);
            assertThat(other.emitWithAck("ping", WAIT).get(0).asText()).isEqualTo("pong");
        }
    }

    @Test
    void aBinaryPacketWithinMaxPayloadInTotalStillReachesItsHandler() throws Exception {
        try (SocketIoServer io = server(InboundLimit.DEFAULT);
             RawWebSocket client = joined(io)) {
            client.sendText("453-/work,7" + PlaceholderEvents.withAttachments("sizes", 3));
            for (int i = 0; i < 3; i++) {
                client.sendBinary(new byte[10 * 1024]);
            }
            assertThat(client.takeJson(m -> m.asText().contains("3/work,7["), WAIT).asText()).endsWith("3/work,7[30720]"); // the ack
        }
    }

    @Test
    void oneAttachmentNamedByManyPlaceholdersClosesItsConnectionAndReachesNoHandler() throws Exception {
        // 1,500 placeholders all naming attachment 0 (16 KiB): ~62 KB sent, handed to handlers as 24 MB of
        // binary (1 MB sent, 500 KB named 16,000 times: ~11 GB once the /mcp forwarder writes it as JSON)
        int placeholders = 1_500;
        int attachment = 16 * 1024;
        AtomicLong handedToHandlers = new AtomicLong();
        try (SocketIoServer io = server(InboundLimit.DEFAULT);
             NodeClientDriver driver = NodeClientDriver.start()) {
            io.of("/work").onConnection(socket -> socket.on("count", event -> {
                long total = 0;
                for (var arg : event.args()) {
                    total += arg.binaryValue().length;
                }
                handedToHandlers.addAndGet(total);
                event.ack(total);
            }));
            try (RawWebSocket attacker = joined(io)) {
                attacker.sendText("451-/work,7" + PlaceholderEvents.naming("count", 0, placeholders));
                attacker.sendBinary(new byte[attachment]);
                assertThat(attacker.awaitClosed(WAIT)).as("closed as a parse error; handlers were handed %d B",
                        handedToHandlers.get()).isTrue();
            }
            assertThat(handedToHandlers.get()).isZero();

            NodeSocket other = driver.connect("http://127.0.0.1:" + io.port(), "/work", ClientOptions.defaults());
            other.awaitConnect(WAIT);
            assertThat(other.emitWithAck("ping", WAIT).get(0).asText()).isEqualTo("pong");
        }
    }

    @Test
    void aBinaryEventCountsAllItsAttachmentsAgainstTheInboundBound() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (SocketIoServer io = server(new InboundLimit(10_000, 256 * 1024))) {
            io.of("/work").onConnection(socket ->
                    socket.on("slow", event -> release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)));
            try (RawWebSocket flooder = joined(io)) {
                flooder.sendText("42/work,[\"slow\"]"); // holds the socket's queue: what follows stays pending
                int sent = 0;
                try {
                    // each event ~60 KB, its last attachment 1 byte: 20 of them are ~1.2 MB pending, bound 256 KB
                    for (; sent < 20; sent++) {
                        flooder.sendText("452-/work," + PlaceholderEvents.withAttachments("slow", 2));
                        flooder.sendBinary(new byte[ATTACHMENT]);
                        flooder.sendBinary(new byte[1]);
                    }
                } catch (IOException closedWhileSending) {
                    // the server closed the connection mid-flood: what this test expects
                }
                assertThat(flooder.awaitClosed(WAIT)).as("closed at the inbound bound (%d binary events sent)", sent)
                        .isTrue();
            }
        } finally {
            release.countDown();
        }
    }

    private static SocketIoServer server(InboundLimit inbound) {
        SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).maxPayload(MAX_PAYLOAD).build())
                .inboundLimit(inbound)
                .build();
        io.of("/work").onConnection(socket -> {
            socket.on("ping", event -> event.ack("pong"));
            socket.on("sizes", event -> {
                long total = 0;
                for (var arg : event.args()) {
                    total += arg.binaryValue().length;
                }
                event.ack(total);
            });
        });
        return io.start();
    }

    private static RawWebSocket joined(SocketIoServer io) throws IOException {
        RawWebSocket ws = RawWebSocket.engineIo(io.port());
        ws.awaitOpen();
        ws.sendText("40/work,");
        assertThat(ws.nextText()).startsWith("40/work,{");
        return ws;
    }
}
