package dev.switchboard.namespaces.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.namespaces.core.NamespaceTestServer;
import dev.switchboard.namespaces.core.NodeClients;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.NodeSocket;

/**
 * Issue #15 item 5 for /deployments, whose log streams share SharedStreams with /services: fast
 * subscribe/disconnect cycles and churn leave no tailer open. Open tailers are counted by the operating system:
 * this process's file descriptors on the log file.
 */
class DeploymentStreamLeakTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration BUDGET = Duration.ofSeconds(120);
    @RegisterExtension
    static final NodeClients clients = new NodeClients();
    private NamespaceTestServer server;
    private DeploymentsNamespace deployments;

    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fastSubscribeDisconnectCyclesAndChurnLeaveNoTailerOpen() throws IOException {
        Path log = tmp.resolve("billing.log");
        Files.writeString(log, "one\ntwo\nthree\n");
        server = NamespaceTestServer.start(DeploymentsNamespace.DEFINITION.with(Pm2Settings.defaults()
                .withPm2Home(tmp.resolve("no-pm2")).withLogFiles(Map.of("billing", log))));
        deployments = server.running();
        long deadline = System.nanoTime() + BUDGET.toNanos();

        for (int i = 0; i < 60 && System.nanoTime() < deadline; i++) {
            NodeSocket socket = clients.connect(server, WAIT);
            socket.emit("subscribe:logs", Map.of("deployment", "billing"));
            socket.disconnect();
        }
        for (int i = 0; i < 200 && System.nanoTime() < deadline; i++) {
            NodeSocket socket = clients.connect(server, WAIT);
            JsonNode ack = socket.emitWithAck("subscribe:logs", WAIT, Map.of("deployment", "billing", "tail", 1)).get(0);
            assertThat(ack.path("ok").asBoolean()).as("ack %s", ack).isTrue();
            if (i % 4 == 1) {
                socket.emit("unsubscribe:logs", Map.of("deployment", "billing"));
            }
            socket.disconnect();
        }
        assertThat(System.nanoTime()).as("cycles finished within %s", BUDGET).isLessThan(deadline);

        Await.until(() -> deployments.activeStreams() == 0 && openDescriptors(log) == 0, WAIT,
                "every tailer closed; still open: " + new Object() {
                    @Override
                    public String toString() {
                        return "activeStreams=" + deployments.activeStreams() + " descriptors=" + openDescriptors(log);
                    }
                });

        // the count sees a tailer: one subscriber holds the file open, and its leaving closes it
        NodeSocket socket = clients.connect(server, WAIT);
        socket.emitWithAck("subscribe:logs", WAIT, Map.of("deployment", "billing"));
        assertThat(deployments.activeStreams()).isEqualTo(1);
        assertThat(openDescriptors(log)).isPositive();
        socket.disconnect();
        Await.until(() -> deployments.activeStreams() == 0 && openDescriptors(log) == 0, WAIT, "the last tailer closed");
    }

    /** This process's open file descriptors on {@code file} (Linux /proc). */
    private static long openDescriptors(Path file) {
        Path target = file.toAbsolutePath().normalize();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(target);
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
