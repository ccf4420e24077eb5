package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.testkit.RawWebSocket;

/**
 * A CONNECT to a namespace that does not exist costs the client one short packet and used to cost the server one
 * log line holding the client's name as sent (up to the packet bound, newlines included): a flood of them filled the
 * disk and forged lines of a text log. Every CONNECT is still answered; the log line comes at most once a second,
 * cut short and on one line.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectRefusalLogTest {
    private static final int FLOOD = 300;

    @Test
    void connectsToUnknownNamespacesAreAllAnsweredAndLoggedAtMostOnceASecondOnOneShortLine() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(ClientConnection.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .build()) {
            io.of("/work").onConnection(socket -> { });
            io.start();
            try (RawWebSocket ws = RawWebSocket.engineIo(io.port())) {
                ws.awaitOpen();
                long started = System.nanoTime();
                String forged = "/x\n2026-12-07T00:00:00Z ERROR forged " + "y".repeat(5000);
                ws.sendText("40" + forged + ",");
                for (int i = 0; i < FLOOD; i++) {
                    ws.sendText("40/nope-" + i + ",");
                }
                assertThat(ws.nextText()).startsWith("44/x\n2026");
                for (int i = 0; i < FLOOD; i++) {
                    assertThat(ws.nextText()).as("refusal %d", i).isEqualTo("44/nope-" + i + ",{\"message\":\"Invalid namespace\"}");
                }
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

                ws.sendText("40/work,");
                assertThat(ws.nextText()).as("the session stays usable").startsWith("40/work,{\"sid\"");

                List<String> refusals = captured.list.stream().map(ILoggingEvent::getFormattedMessage)
                        .filter(line -> line.startsWith("event=socket_refused")).toList();
                assertThat(refusals).isNotEmpty().hasSizeLessThanOrEqualTo((int) seconds + 1);
                assertThat(refusals.get(0)).doesNotContain("\n").contains("namespace=/x?2026").contains("(5037 chars)")
                        .hasSizeLessThan(300);
            }
        } finally {
            logger.detachAppender(captured);
        }
    }
}
