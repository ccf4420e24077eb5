package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * A flood of polling handshakes that never join a namespace, each with 7 KB of headers (what took the shipped JVM
 * to OutOfMemoryError in 22 s), from one address and from many loopback source addresses: the per-address bounds
 * refuse the excess at once, the sessions held stay bounded, and a normal socket.io-client from another address is
 * served during and after the flood. Bounded: a few thousand handshakes, seconds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HandshakeFloodTest {
    private static final Logger log = LoggerFactory.getLogger(HandshakeFloodTest.class);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String JUNK = "X-Junk: " + "j".repeat(7000);
    private static NodeClientDriver driver;

    @BeforeAll
    static void startDriver() {
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stopDriver() {
        if (driver != null) driver.close();
    }

    /** As the app's defaults, scaled down so a test can reach them: per-address cap, rate and burst. */
    private static SocketIoServer server(int perAddress, int rate, int burst) {
        SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0)
                        .maxSessions(50_000).maxSessionsPerAddress(perAddress).handshakeRate(rate, burst)
                        .maxConnectionsPerAddress(2000).build())
                .build();
        io.of("/live").onConnection(socket -> socket.on("ping", ev -> ev.ack("pong")));
        return io.start();
    }

    /** A normal client (from 127.0.0.1) connects and gets an ack. */
    private static void normalClientServed(int port) {
        NodeSocket client = driver.connect("http://127.0.0.1:" + port, "/live", ClientOptions.defaults().reconnection(false));
        client.awaitConnect(WAIT);
        assertThat(client.emitWithAck("ping", WAIT).get(0).asText()).isEqualTo("pong");
        client.disconnect();
    }

    private record Flood(long admitted, long refused, long other, long millis) {
    }

    /** {@code perSource} handshakes from each source address, 4 threads, kept-alive connections. */
    private static Flood flood(int port, List<String> sources, int perSource) throws Exception {
        AtomicLong admitted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong other = new AtomicLong();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (String source : sources) {
                jobs.add(pool.submit(() -> {
                    RawHttp c = RawHttp.connect(source, port);
                    try {
                        String request = RawHttp.get("/socket.io/?EIO=4&transport=polling", port, JUNK);
                        for (int i = 0; i < perSource; i++) {
                            RawHttp.Answer a = c.exchange(request);
                            (a.status() == 200 ? admitted : a.status() == 429 || a.status() == 503 ? refused : other)
                                    .incrementAndGet();
                            if (a.closes()) {
                                c.close();
                                c = RawHttp.connect(source, port);
                            }
                        }
                    } finally {
                        c.close();
                    }
                    return null;
                }));
            }
            for (Future<?> job : jobs) job.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        return new Flood(admitted.get(), refused.get(), other.get(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void aFloodFromOneAddressIsRefusedAtThePerAddressBoundsAndANormalClientIsServedDuringAndAfter() throws Exception {
        try (SocketIoServer io = server(1000, 50, 200)) {
            int port = io.port();
            long heapBefore = usedHeapAfterGc();
            ExecutorService background = Executors.newSingleThreadExecutor();
            try {
                Future<Flood> running = background.submit(() -> flood(port, List.of("127.0.0.2", "127.0.0.2",
                        "127.0.0.2", "127.0.0.2"), 750));
                normalClientServed(port); // during
                Flood f = running.get(90, TimeUnit.SECONDS);
                long heapAtPeak = usedHeapAfterGc();
                log.info("flood from one address: handshakes={} admitted={} refused={} other={} ms={} sessions={}"
                                + " heapGrowthKiB={}", 3000, f.admitted(), f.refused(), f.other(), f.millis(),
                        io.engine().admittedSessions(), (heapAtPeak - heapBefore) / 1024);
                assertThat(f.other()).isZero();
                assertThat(f.admitted()).as("the burst, plus what the rate refilled while the flood ran")
                        .isBetween(200L, 200L + 50L * (f.millis() / 1000 + 1));
                assertThat(f.refused()).isEqualTo(3000 - f.admitted());
                assertThat(io.engine().admittedSessions()).isLessThanOrEqualTo((int) f.admitted() + 1);
                normalClientServed(port); // after
            } finally {
                background.shutdownNow();
            }
        }
    }

    @Test
    void aFloodFromManyLoopbackAddressesIsBoundedPerAddressAndANormalClientIsServedDuringAndAfter() throws Exception {
        try (SocketIoServer io = server(100, 0, 1)) {
            int port = io.port();
            List<String> sources = new ArrayList<>();
            for (int n = 10; n < 30; n++) sources.add("127.0.0." + n);
            ExecutorService background = Executors.newSingleThreadExecutor();
            try {
                Future<Flood> running = background.submit(() -> flood(port, sources, 150));
                normalClientServed(port);
                Flood f = running.get(90, TimeUnit.SECONDS);
                log.info("flood from 20 addresses: handshakes={} admitted={} refused={} other={} ms={} sessions={}",
                        3000, f.admitted(), f.refused(), f.other(), f.millis(), io.engine().admittedSessions());
                assertThat(f.other()).isZero();
                assertThat(f.admitted()).isEqualTo(20 * 100);
                assertThat(f.refused()).isEqualTo(20 * 50);
                normalClientServed(port);
            } finally {
                background.shutdownNow();
            }
        }
    }
}
