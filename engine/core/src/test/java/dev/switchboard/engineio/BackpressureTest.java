package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.RawWebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Outbound accounting: volatile drops above the soft bound, slow consumers closed above the hard bound. */
class BackpressureTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final EngineMessage BIG = EngineMessage.text("x".repeat(16_000));

    @Test
    void clientThatStopsReadingLosesVolatileMessagesThenIsClosed() throws Exception {
        Logger sessionLog = (Logger) LoggerFactory.getLogger(EngineSession.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        sessionLog.addAppender(logs);
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions()
                .outboundSoftLimit(64 * 1024).outboundHardLimit(1024 * 1024).build());
             RawWebSocket ws = RawWebSocket.connect(engine.port(), TestEngine.PATH + "?EIO=4&transport=websocket", Map.of(), 4096)) {
            ws.readText(T);
            EngineSocket socket = engine.nextConnection();
            int volatileDropped = 0;
            int sent = 0;
            long deadline = System.nanoTime() + T.toNanos();
            // the client never reads again: kernel buffers fill, then Netty's, then ours
            while (socket.isOpen() && sent < 20_000 && System.nanoTime() < deadline) {
                if (!socket.sendVolatile(BIG)) volatileDropped++;
                socket.send(BIG);
                sent++;
                if (sent % 16 == 0) Await.until(() -> !socket.isOpen() || socket.bufferedBytes() < 1024 * 1024,
                        T, "queue handed to the channel");
            }
            assertThat(engine.awaitClose(socket.id(), T)).isEqualTo("slow consumer");
            assertThat(volatileDropped).isPositive();
            assertThat(socket.sendVolatile(BIG)).isFalse();
            assertThat(logs.list.stream().filter(e -> e.getLevel() == Level.WARN
                    && e.getFormattedMessage().contains("event=slow_consumer")).count()).isEqualTo(1);
        } finally {
            sessionLog.detachAppender(logs);
        }
    }

    @Test
    void producerRespectingBufferedBytesNeverTripsTheHardLimit() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions()
                .outboundSoftLimit(64 * 1024).outboundHardLimit(1024 * 1024).build());
             RawWebSocket ws = RawWebSocket.connect(engine.port(), TestEngine.PATH + "?EIO=4&transport=websocket", Map.of())) {
            ws.readText(T);
            EngineSocket socket = engine.nextConnection();
            AtomicInteger received = new AtomicInteger();
            Thread reader = new Thread(() -> {
                try {
                    while (received.get() < 300) {
                        if (ws.readText(T).length() == 16_001) received.incrementAndGet();
                    }
                } catch (Exception e) {
                    // reported by the assertion below
                }
            });
            reader.start();
            for (int i = 0; i < 300; i++) {
                Await.until(() -> socket.sendVolatile(BIG), T, "room in the outbound buffer");
            }
            Await.until(() -> received.get() == 300, T, "300 messages read");
            reader.join(5000);
            assertThat(socket.isOpen()).isTrue();
        }
    }
}
