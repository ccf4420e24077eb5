package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.engineio.EngineIoOptions;
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
}
