package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.testkit.Await;

/**
 * Observers hear of one socket in order: connected and its first rooms, then its later changes, then that it left.
 * They are told of an admitted socket after its connection's monitor is released, once the CONNECT reply is already
 * out: the client may leave in between, on another thread. An observer that is slow in connected() stands for
 * the admitting thread being descheduled at that moment.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ObserverOrderTest {
    private static final Duration WAIT = Duration.ofSeconds(15); // a deadline, not a pause

    private final SocketIoCore core = new SocketIoCore(new ServerSettings(Duration.ofSeconds(45),
            Duration.ofSeconds(30), 4, 10), new ObjectMapper(), InMemoryAdapter::new);
    private final List<String> told = new CopyOnWriteArrayList<>();
    private final CountDownLatch inConnected = new CountDownLatch(1);
    private final CountDownLatch releaseConnected = new CountDownLatch(1);

    @AfterEach
    void stop() {
        releaseConnected.countDown();
        core.stopAccepting();
        core.closeAllConnections("server shutting down");
        core.shutdown(System.nanoTime() + Duration.ofSeconds(2).toNanos());
    }

    private void observeHoldingConnected() {
        core.addObserver(new SocketObserver() {
            @Override
            public void connected(Socket socket) {
                told.add("connected");
                inConnected.countDown();
                try {
                    releaseConnected.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void disconnected(Socket socket, String reason) {
                told.add("disconnected");
            }

            @Override
            public void joined(Namespace namespace, String room, String socketId) {
                told.add("joined " + (room.equals(socketId) ? "own room" : room));
            }

            @Override
            public void left(Namespace namespace, String room, String socketId) {
                told.add("left " + (room.equals(socketId) ? "own room" : room));
            }
        });
    }

    @Test
    void aClientThatLeavesWhileItIsAnnouncedIsToldGoneAfterItsRooms() throws Exception {
        observeHoldingConnected();
        FakeEngineSocket engine = new FakeEngineSocket();
        core.accept(engine);
        engine.receive("0");
        assertThat(engine.nextText(WAIT)).startsWith("0{\"sid\":"); // the client has its CONNECT reply
        assertThat(inConnected.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("observer told connected").isTrue();

        engine.receive("1"); // the client leaves the namespace (I/O thread) while the worker is announcing it
        releaseConnected.countDown();

        Await.until(() -> told.size() >= 4, WAIT, "four notifications");
        assertThat(told).containsExactly("connected", "joined own room", "left own room", "disconnected");
    }

    @Test
    void aTransportThatClosesWhileItsSocketIsAnnouncedIsToldGoneAfterItsRooms() throws Exception {
        observeHoldingConnected();
        FakeEngineSocket engine = new FakeEngineSocket();
        core.accept(engine);
        engine.receive("0");
        engine.nextText(WAIT);
        assertThat(inConnected.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("observer told connected").isTrue();

        engine.closeFromEngine("transport close");
        releaseConnected.countDown();

        Await.until(() -> told.size() >= 4, WAIT, "four notifications");
        assertThat(told).containsExactly("connected", "joined own room", "left own room", "disconnected");
    }
}
