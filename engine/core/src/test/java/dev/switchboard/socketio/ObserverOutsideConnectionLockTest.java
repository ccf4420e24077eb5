package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * Observers hear of an admitted socket outside its connection's monitor. An observer that emits (the Admin UI,
 * on /admin) takes that namespace's journal lock when it records; a recovery into that namespace holds the
 * journal lock while it waits for the connection's monitor to admit the socket: told under the monitor, a
 * second socket admitted on the same connection at that moment would wait for the journal lock the other holds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ObserverOutsideConnectionLockTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void anObserverIsToldOfANewSocketWithoutItsConnectionLocked() throws Exception {
        CompletableFuture<Boolean> heldWhenConnected = new CompletableFuture<>();
        CompletableFuture<Boolean> heldWhenJoined = new CompletableFuture<>();
        SocketObserver observer = new SocketObserver() {
            @Override
            public void connected(Socket socket) {
                heldWhenConnected.complete(Thread.holdsLock(((SocketImpl) socket).client()));
            }

            @Override
            public void joined(Namespace namespace, String room, String socketId) {
                SocketImpl socket = (SocketImpl) namespace.socket(socketId);
                heldWhenJoined.complete(socket != null && Thread.holdsLock(socket.client()));
            }
        };
        try (NodeClientDriver driver = NodeClientDriver.start();
             SocketIoServer io = SocketIoServer.builder()
                     .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                     .connectionStateRecovery(Duration.ofMinutes(1), 100, 1 << 20)
                     .build()) {
            io.of("/watched");
            io.observe(observer);
            io.start();
            NodeSocket client = driver.connect("http://127.0.0.1:" + io.port(), "/watched");
            client.awaitConnect(WAIT);

            assertThat(heldWhenConnected.get(20, TimeUnit.SECONDS)).as("connection monitor held at connected()")
                    .isFalse();
            assertThat(heldWhenJoined.get(20, TimeUnit.SECONDS)).as("connection monitor held at joined()")
                    .isFalse();
        }
    }
}
