package dev.switchboard.app.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.app.Http;
import dev.switchboard.app.SwitchboardServer;
import dev.switchboard.app.TestServers;
import dev.switchboard.app.abuse.HostileClient.Transport;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * The standing abuse run: the whole server (every namespace, the plain channels) takes at least 20,000 random and
 * mutated packets over long-polling, WebSocket and {@code /ws} from many loopback source addresses, while a normal
 * socket.io-client keeps receiving {@code POST /emit} events. Afterwards nothing was logged at ERROR, a new client
 * is served, and heap, open files and threads are back within a stated margin of their baseline.
 * Bounded: at most 60 s of abuse and 30 s of settling.
 */
class AbuseRunTest {
    private static final Logger LOG = LoggerFactory.getLogger(AbuseRunTest.class);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long PACKETS_PER_CLIENT = 4_000;
    private static final Duration ABUSE_LIMIT = Duration.ofSeconds(60);
    private static final long HEAP_MARGIN = 32L << 20;
    private static final int FILES_MARGIN = 24;
    private static final int THREADS_MARGIN = 8;

    /** Two hostile clients per transport: 6 × 4,000 = 24,000 packets when the deadline does not cut them short. */
    private static final List<Transport> CLIENTS = List.of(Transport.POLLING, Transport.POLLING,
            Transport.WEBSOCKET, Transport.WEBSOCKET, Transport.PLAIN_WS, Transport.PLAIN_WS);

    @Test
    void hostilePacketsLogNoErrorLeakNothingAndNormalClientsStayServed() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "PING_INTERVAL_MS", "1000", "PING_TIMEOUT_MS", "1000", "CONNECT_TIMEOUT_MS", "2000",
                "MCP_HISTORY_SIZE", "10"));
        SwitchboardServer server = TestServers.startWithRegistry(env);
        try (ErrorLogs errors = new ErrorLogs(); NodeClientDriver driver = NodeClientDriver.start()) {
            NodeSocket watcher = joinedWatcher(driver, server);
            assertEmitArrives(server, watcher, 0);

            // The warm-up takes every path once and grows the bounded pools (workers, schedulers) to their working size
            runHostileClients(server.wsPort(), 1, 400, Duration.ofSeconds(15), () -> { });
            ProcessFootprint baseline = ProcessFootprint.measure();
            LOG.info("abuse run baseline {}", baseline);

            int[] delivered = {0};
            List<HostileClient> clients = runHostileClients(server.wsPort(), 2, PACKETS_PER_CLIENT, ABUSE_LIMIT,
                    () -> assertEmitArrives(server, watcher, ++delivered[0]));  // served during the abuse
            long sent = clients.stream().mapToLong(HostileClient::packetsSent).sum();
            LOG.info("abuse run sent {} packets, {} emits delivered meanwhile", sent, delivered[0]);
            assertThat(sent).as("packets sent within %s", ABUSE_LIMIT).isGreaterThanOrEqualTo(20_000);

            ProcessFootprint after = settle(baseline);
            LOG.info("abuse run after settling {}", after);
            assertThat(after.within(baseline, HEAP_MARGIN, FILES_MARGIN, THREADS_MARGIN))
                    .as("after %s vs baseline %s (margins: heap 32 MiB, %d files, %d threads)", after, baseline,
                            FILES_MARGIN, THREADS_MARGIN)
                    .isTrue();

            assertEmitArrives(server, watcher, ++delivered[0]);
            NodeSocket newcomer = joinedWatcher(driver, server);
            assertEmitArrives(server, newcomer, ++delivered[0]);
            assertThat(errors.errors()).as("errors logged during the abuse run").isEmpty();
        } finally {
            server.close();
        }
    }

    /**
     * Runs the hostile clients in parallel (each on its own 127.N.0.x addresses) and calls {@code whileRunning} in a
     * loop until they are done; returns them for their counts.
     */
    private static List<HostileClient> runHostileClients(int port, int run, long packetsEach, Duration limit,
                                                         Runnable whileRunning) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS.size());
        long deadline = System.nanoTime() + limit.toNanos();
        List<HostileClient> clients = new ArrayList<>();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < CLIENTS.size(); i++) {
            HostileClient client = new HostileClient(CLIENTS.get(i), port, 10 * run + i, 7919L * run + i, packetsEach,
                    deadline);
            clients.add(client);
            running.add(pool.submit(client));
        }
        try {
            while (running.stream().anyMatch(f -> !f.isDone())) {
                whileRunning.run();
                awaitOneBriefly(running);
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        return clients;
    }

    private static void awaitOneBriefly(List<Future<?>> running) throws Exception {
        for (Future<?> f : running) {
            if (!f.isDone()) {
                try {
                    f.get(100, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    // checked again on the next round
                }
                return;
            }
        }
    }

    private static NodeSocket joinedWatcher(NodeClientDriver driver, SwitchboardServer server) {
        NodeSocket socket = driver.connect(TestServers.url(server), "/mcp");
        socket.awaitConnect(WAIT);
        socket.emitWithAck("join", WAIT, Map.of("room", "abuse-watch"));
        return socket;
    }

    private static void assertEmitArrives(SwitchboardServer server, NodeSocket socket, int seq) {
        Http.emit(server, "{\"namespace\":\"/mcp\",\"room\":\"abuse-watch\",\"event\":\"tick\",\"data\":{\"seq\":" + seq + "}}");
        socket.awaitEvent("tick", args -> args.get(0).path("seq").asInt() == seq, WAIT);
    }

    /** Waits up to 30 s for abandoned sessions to time out and their memory, sockets and threads to go. */
    private static ProcessFootprint settle(ProcessFootprint baseline) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ProcessFootprint now = ProcessFootprint.measure();
        while (!now.within(baseline, HEAP_MARGIN, FILES_MARGIN, THREADS_MARGIN) && System.nanoTime() < deadline) {
            Thread.sleep(250);  // polling a condition with a deadline: the sessions time out on their own clock
            now = ProcessFootprint.measure();
        }
        return now;
    }
}
