package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testkit.Await;

/**
 * The heap a Socket.IO session costs while it never joins a namespace (held until connectTimeout), when its
 * handshake carried 7 KB of headers no handler reads: measured as live heap after a full GC, over 2,000 sessions.
 * It used to keep every header (≈ 7 KB each); it keeps only what handlers read.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NeverJoinedSessionHeapTest {
    private static final Logger log = LoggerFactory.getLogger(NeverJoinedSessionHeapTest.class);
    private static final int SESSIONS = 2000;

    private static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // the lowest of three full collections: what is really live
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Test
    void aNeverJoinedSessionWith7KbOfHeadersCostsLittleHeap() throws Exception {
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .connectTimeout(Duration.ofMinutes(2)).build()) {
            io.of("/live");
            io.start();
            int port = io.port();
            String request = RawHttp.get("/socket.io/?EIO=4&transport=polling", port,
                    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) flood", "X-Junk: " + "j".repeat(7000));
            try (RawHttp warm = RawHttp.connect("127.0.0.1", port)) { // classes loaded, pools warmed
                for (int i = 0; i < 50; i++) assertThat(warm.exchange(request).status()).isEqualTo(200);
            }
            Await.until(() -> io.engine().clientsCount() == 50, Duration.ofSeconds(15), "warm-up sessions");
            long before = usedHeapAfterGc();
            try (RawHttp c = RawHttp.connect("127.0.0.2", port)) {
                for (int i = 0; i < SESSIONS; i++) assertThat(c.exchange(request).status()).isEqualTo(200);
            }
            Await.until(() -> io.engine().clientsCount() == SESSIONS + 50, Duration.ofSeconds(30), "every session open");
            long after = usedHeapAfterGc();
            long perSession = (after - before) / SESSIONS;
            log.info("never-joined session heap: sessions={} heapGrowthBytes={} bytesPerSession={}", SESSIONS,
                    after - before, perSession);
            assertThat(io.engine().clientsCount()).isEqualTo(SESSIONS + 50); // still held while measured
            assertThat(perSession).as("live heap per never-joined session, bytes").isLessThan(4096);
        }
    }
}
