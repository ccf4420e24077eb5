package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import dev.switchboard.testkit.RawWebSocket;

/** send(EngineMessage...) from many threads: each call's messages stay together and in order; nothing is lost. */
class OutboundOrderingTest {
    private static final int THREADS = 4;
    private static final int GROUPS = 300;

    @Test
    void concurrentGroupsArriveWholeAndInOrderOverWebSocket() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().build());
             RawWebSocket ws = RawWebSocket.connect(engine.port(), TestEngine.PATH + "?EIO=4&transport=websocket", Map.of())) {
            ws.readText(Duration.ofSeconds(15));
            sendAndCheckGroups(engine.nextConnection(), ws);
        }
    }

    /** An upgraded session usually lives on another event loop than its WebSocket: batches cross loops. */
    @Test
    void concurrentGroupsArriveWholeAndInOrderOverAnUpgradedWebSocket() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().ioThreads(4).build())) {
            PollingClient polling = new PollingClient(engine.port());
            String sid = polling.handshake().get("sid").asText();
            EngineSocket socket = engine.nextConnection();
            try (RawWebSocket ws = RawWebSocket.connect(engine.port(),
                    TestEngine.PATH + "?EIO=4&transport=websocket&sid=" + sid, Map.of())) {
                ws.sendText("2probe");
                assertThat(ws.readText(Duration.ofSeconds(15))).isEqualTo("3probe");
                ws.sendText("5");
                dev.switchboard.testkit.Await.until(() -> "websocket".equals(socket.transportName()),
                        Duration.ofSeconds(15), "upgraded");
                sendAndCheckGroups(socket, ws);
            }
        }
    }

    private static void sendAndCheckGroups(EngineSocket socket, RawWebSocket ws) throws Exception {
        {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Thread sender = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int g = 0; g < GROUPS; g++) {
                        byte[] id = ByteBuffer.allocate(8).putInt(thread).putInt(g).array();
                        socket.send(EngineMessage.text(thread + ":" + g + ":a"), EngineMessage.binary(id),
                                EngineMessage.text(thread + ":" + g + ":b"));
                    }
                });
                sender.start();
                senders.add(sender);
            }
            start.countDown();
            int[] next = new int[THREADS];
            for (int i = 0; i < THREADS * GROUPS; i++) {
                String a = ws.readText(Duration.ofSeconds(15));
                String[] parts = a.substring(1).split(":");
                int thread = Integer.parseInt(parts[0]);
                int group = Integer.parseInt(parts[1]);
                assertThat(parts[2]).isEqualTo("a");
                assertThat(group).as("per-thread order").isEqualTo(next[thread]++);
                RawWebSocket.Frame bin = ws.read(Duration.ofSeconds(15));
                assertThat(bin.opcode()).isEqualTo(RawWebSocket.BINARY);
                ByteBuffer id = ByteBuffer.wrap(bin.data());
                assertThat(id.getInt()).isEqualTo(thread);
                assertThat(id.getInt()).isEqualTo(group);
                assertThat(ws.readText(Duration.ofSeconds(15))).isEqualTo("4" + thread + ":" + group + ":b");
            }
            for (Thread sender : senders) sender.join(TimeUnit.SECONDS.toMillis(5));
            assertThat(next).containsOnly(GROUPS);
            dev.switchboard.testkit.Await.until(() -> socket.bufferedBytes() == 0, Duration.ofSeconds(15), "all written");
        }
    }

    @Test
    void concurrentGroupsStayWholeOverPolling() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().build())) {
            PollingClient client = new PollingClient(engine.port());
            String sid = client.handshake().get("sid").asText();
            EngineSocket socket = engine.nextConnection();
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Thread sender = new Thread(() -> {
                    for (int g = 0; g < 50; g++) {
                        socket.send(EngineMessage.text(thread + ":" + g + ":a"), EngineMessage.text(thread + ":" + g + ":b"));
                    }
                });
                sender.start();
                senders.add(sender);
            }
            List<String> packets = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (packets.size() < THREADS * 50 * 2 && System.nanoTime() < deadline) {
                packets.addAll(PollingClient.packets(client.poll(sid)));
            }
            for (Thread sender : senders) sender.join(5000);
            assertThat(packets).hasSize(THREADS * 50 * 2);
            int[] next = new int[THREADS];
            for (int i = 0; i < packets.size(); i += 2) {
                String[] a = packets.get(i).substring(1).split(":");
                int thread = Integer.parseInt(a[0]);
                assertThat(Integer.parseInt(a[1])).isEqualTo(next[thread]++);
                assertThat(packets.get(i + 1)).isEqualTo("4" + a[0] + ":" + a[1] + ":b");
            }
        }
    }
}
