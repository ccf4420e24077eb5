package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.testkit.RawWebSocket;

/**
 * Every socket whose transport is cut is kept for recovery: without a bound of their own, the saved sessions grew
 * with every session a client opened and cut (from as many addresses as it has) for the whole recovery window.
 * They are now at most the engine's maxSessions per namespace, oldest out first.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SavedSessionsBoundTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MAX_SESSIONS = 5;
    private static final int CUT = 20;

    @Test
    void sessionsCutByTheirClientsAreKeptUpToTheEnginesMaxSessions() throws Exception {
        AtomicReference<InMemoryRecoveryStore> store = new AtomicReference<>();
        BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).maxSessions(MAX_SESSIONS).build())
                .connectionStateRecovery(Duration.ofMinutes(2), 100, 1 << 20)
                .recoveryStore((namespace, options) -> {
                    InMemoryRecoveryStore created = new InMemoryRecoveryStore(options);
                    if ("/work".equals(namespace)) {
                        store.set(created);
                    }
                    return created;
                })
                .build()) {
            io.of("/work").onConnection(socket -> socket.onDisconnect(disconnects::add));
            io.start();

            for (int i = 0; i < CUT; i++) { // one at a time: never more than MAX_SESSIONS live
                try (RawWebSocket ws = RawWebSocket.engineIo(io.port())) {
                    ws.awaitOpen();
                    ws.sendText("40/work,");
                    assertThat(ws.nextText()).startsWith("40/work,{\"");
                }
                assertThat(disconnects.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("disconnect %d", i)
                        .isEqualTo("transport close");
            }
            assertThat(store.get().savedSessions()).as("sessions kept after %d cut", CUT).isEqualTo(MAX_SESSIONS);
        }
    }
}
