package dev.switchboard.namespaces.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.namespaces.core.ProducerException;

class Pm2RpcClientTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void getMonitorDataListsTheAppWithoutItsEnvironment() throws Exception {
        try (Pm2Fixture pm2 = Pm2Fixture.start()) {
            Path app = pm2.script("ticker.js", "setInterval(() => console.log('tick ' + Date.now()), 200);\n");
            pm2.run("start", app.toString(), "--name", "ticker-app", "--env", "production");
            Pm2RpcClient rpc = new Pm2RpcClient(pm2.home.resolve("rpc.sock"), Duration.ofSeconds(3), scheduler, json);
            List<Pm2Process> processes = Pm2Process.fromMonitorData(rpc.call("getMonitorData", Map.of()));
            assertThat(processes).hasSize(1);
            Pm2Process p = processes.get(0);
            assertThat(p.name()).isEqualTo("ticker-app");
            assertThat(p.status()).isEqualTo("online");
            assertThat(p.outLog()).endsWith("ticker-app-out.log");
            assertThat(p.view(System.currentTimeMillis())).containsOnlyKeys("name", "id", "status", "restarts", "uptime", "cpu", "memory", "pid");
        }
    }

    @Test
    void noDaemonIsBackendUnavailable(@org.junit.jupiter.api.io.TempDir Path emptyHome) {
        Pm2RpcClient rpc = new Pm2RpcClient(emptyHome.resolve("rpc.sock"), Duration.ofSeconds(1), scheduler, json);
        assertThatThrownBy(() -> rpc.call("getMonitorData", Map.of()))
                .isInstanceOf(ProducerException.class)
                .satisfies(e -> assertThat(((ProducerException) e).code()).isEqualTo("BACKEND_UNAVAILABLE"));
    }

    /**
     * Something answering on rpc.sock (a PM2 gone wrong, or not PM2 at all) that announces 15 arguments of 64 MiB
     * each and then sends a few bytes: the call fails with BACKEND_UNAVAILABLE, and what it allocated follows the
     * bytes that came, not the lengths announced (it was 64 MiB per call in flight before any byte arrived).
     */
    @Test
    void announcedArgumentLengthsCostNothingUntilTheBytesArrive(@org.junit.jupiter.api.io.TempDir Path home) throws Exception {
        Path socket = home.resolve("rpc.sock");
        try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(socket));
            Thread answerer = new Thread(() -> {
                try (java.nio.channels.SocketChannel peer = server.accept()) {
                    java.nio.ByteBuffer request = java.nio.ByteBuffer.allocate(1);
                    while (request.hasRemaining() && peer.read(request) >= 0) {
                        // answer once the call is sent
                    }
                    java.nio.ByteBuffer garbage = java.nio.ByteBuffer.allocate(1 + 4 + 100);
                    garbage.put((byte) (1 << 4 | 15)).putInt((64 << 20) - 1).put(new byte[100]).flip();
                    while (garbage.hasRemaining()) {
                        peer.write(garbage);
                    }
                    peer.shutdownOutput();
                    while (peer.read(java.nio.ByteBuffer.allocate(4096)) >= 0) {
                        // until the client hangs up
                    }
                } catch (java.io.IOException ignored) {
                    // the test ends
                }
            }, "fake-pm2");
            answerer.start();
            Pm2RpcClient rpc = new Pm2RpcClient(socket, Duration.ofSeconds(5), scheduler, json);
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            assertThatThrownBy(() -> rpc.call("getMonitorData", Map.of()))
                    .isInstanceOf(ProducerException.class)
                    .satisfies(e -> assertThat(((ProducerException) e).code()).isEqualTo("BACKEND_UNAVAILABLE"));
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated by the call").isLessThan(16L << 20);
            answerer.join(5_000);
        }
    }
}
