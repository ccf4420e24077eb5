package dev.switchboard.namespaces.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.namespaces.core.NamespaceTestServer;
import dev.switchboard.namespaces.core.NodeClients;
import dev.switchboard.testkit.NodeSocket;

/**
 * Every {@code list} and {@code subscribe:logs} asks PM2 for its process list on a handler thread. A PM2 that
 * answers slowly (here 100 ms a call, on a real rpc.sock) must not be asked once per request in parallel: many
 * sockets asking at once would each hold one of the server's handler threads, and pile calls on PM2 itself.
 */
class SlowPm2CallsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @RegisterExtension
    static final NodeClients clients = new NodeClients();

    @Test
    void manySocketsListingAtOnceShareOneCallToASlowPm2(@TempDir Path home) throws Exception {
        int sockets = 8;
        int listsEach = 10;
        try (FakePm2 pm2 = new FakePm2(home.resolve("rpc.sock"), Duration.ofMillis(100));
             NamespaceTestServer server = NamespaceTestServer.start(
                     DeploymentsNamespace.DEFINITION.with(Pm2Settings.defaults().withPm2Home(home)))) {
            List<NodeSocket> clientsList = new ArrayList<>();
            for (int i = 0; i < sockets; i++) {
                NodeSocket socket = clients.connect(server, WAIT);
                socket.awaitEvent("connected", WAIT);
                clientsList.add(socket);
            }
            for (int n = 0; n < listsEach; n++) {
                for (NodeSocket socket : clientsList) {
                    socket.emit("list");
                }
            }
            for (NodeSocket socket : clientsList) {
                for (JsonNode reply : socket.awaitEvents("list", listsEach, WAIT)) {
                    assertThat(reply.get(0).path(0).path("name").asText()).isEqualTo("app");
                }
            }
            assertThat(pm2.mostAtOnce.get()).as("calls PM2 had to answer at once").isEqualTo(1);
            assertThat(pm2.calls.get()).as("calls for " + sockets * listsEach + " lists").isLessThan(sockets * listsEach);
        }
    }

    /** Answers getMonitorData on a Unix socket with one process, after a delay; counts calls in flight. */
    private static final class FakePm2 implements AutoCloseable {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        private final ServerSocketChannel server;
        private final ObjectMapper json = new ObjectMapper();
        private final Duration delay;
        private final Thread acceptor;

        FakePm2(Path socket, Duration delay) throws IOException {
            this.delay = delay;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            acceptor = new Thread(this::acceptAll, "fake-pm2");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void acceptAll() {
            while (server.isOpen()) {
                try {
                    SocketChannel peer = server.accept();
                    Thread answer = new Thread(() -> answer(peer), "fake-pm2-call");
                    answer.setDaemon(true);
                    answer.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void answer(SocketChannel peer) {
            try (peer) {
                List<JsonNode> request = AmpCodec.decode(json, Channels.newInputStream(peer));
                calls.incrementAndGet();
                mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(delay.toMillis()); // the slow PM2 under test
                } finally {
                    inFlight.decrementAndGet();
                }
                Map<String, Object> process = Map.of("name", "app", "pm_id", 0, "pm2_env", Map.of("status", "online"));
                ByteBuffer reply = AmpCodec.encode(json, Map.of("args", List.of(List.of(process))),
                        request.get(request.size() - 1).asText());
                while (reply.hasRemaining()) {
                    peer.write(reply);
                }
            } catch (IOException | InterruptedException e) {
                // the client gave up
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
