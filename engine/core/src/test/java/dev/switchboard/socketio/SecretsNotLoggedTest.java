package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * Session ids (sid) and recovery ids (pid) are bearer secrets, as in Node: whoever has a sid can poll as its
 * client, whoever has a pid can take over its recovered session. Neither may reach a log line, at any level.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SecretsNotLoggedTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void noSidOrPidInTheLogsOfAConnectDisconnectRecoveryCycle() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger("dev.switchboard");
        Level level = root.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        root.setLevel(Level.TRACE);
        Set<String> pids = ConcurrentHashMap.newKeySet();
        List<String> secrets = new ArrayList<>();
        try (NodeClientDriver driver = NodeClientDriver.start();
             SocketIoServer io = SocketIoServer.builder()
                     .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                     .connectionStateRecovery(Duration.ofMinutes(1), 1000, 1 << 20)
                     .build()) {
            io.of("/live").onConnection(socket -> {
                pids.add(((SocketImpl) socket).pid());
                socket.on("join", ev -> {
                    socket.join(ev.arg(0).asText());
                    ev.ack(socket.recovered());
                });
            });
            io.start();
            NodeSocket client = driver.connect("http://127.0.0.1:" + io.port(), "/live",
                    ClientOptions.defaults().reconnectionDelay(Duration.ofMillis(200)).set("randomizationFactor", 0));
            client.awaitConnect(WAIT);
            client.emitWithAck("join", WAIT, "feed");
            Await.until(() -> "websocket".equals(client.state().path("transport").asText()), WAIT, "upgrade to WebSocket");
            secrets.add(client.state().path("engineId").asText());
            io.of("/live").to("feed").emit("seen", 0); // the client recovers from the offset of its last broadcast
            client.awaitEvent("seen", WAIT);

            client.closeTransport("destroy");
            Await.until(() -> io.of("/live").socketCount() == 0, WAIT, "server saw the transport drop");
            io.of("/live").to("feed").emit("missed", 1); // buffered for the recovery
            assertThat(client.awaitLifecycle("connect", 2, WAIT).path("recovered").asBoolean()).isTrue();
            client.awaitEvent("missed", WAIT);
            secrets.add(client.state().path("engineId").asText());
            client.disconnect();
            Await.until(() -> io.of("/live").socketCount() == 0, WAIT, "server saw the disconnect");
            secrets.addAll(pids);
        } finally {
            root.detachAppender(captured);
            root.setLevel(level);
        }
        assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("event=socket_recovered")).anyMatch(m -> m.contains("event=socket_disconnect"));
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(3).allMatch(s -> s.length() >= 16);
        for (ILoggingEvent event : captured.list) {
            String line = text(event);
            for (String secret : secrets) {
                assertThat(line).as("a log line").doesNotContain(secret);
            }
        }
    }

    private static String text(ILoggingEvent event) {
        StringBuilder s = new StringBuilder(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            s.append(' ').append(t.getMessage());
        }
        return s.toString();
    }
}
