package dev.switchboard.namespaces.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.namespaces.core.NamespaceTestServer;
import dev.switchboard.namespaces.core.NodeClients;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.NodeSocket;

/**
 * Issue #15 item 5: no interleaving of subscribe, unsubscribe, disconnect and stream start leaves a Docker follow
 * open. Real dockerd behind a relay that answers 300 ms late (as a busy engine does), so every follow is still
 * starting when its subscriber leaves; real socket.io-client. Open follows are counted four ways: {@code
 * activeStreams}, the producer's own open Docker streams, dockerd's side (follow connections the relay still
 * carries) and the JVM's (docker-java runs each streaming request on its own thread until the response is closed).
 */
class ServicesStreamLeakTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration BUDGET = Duration.ofSeconds(150);
    private static final String STREAM_THREAD = "docker-java-stream-";

    @RegisterExtension
    static final NodeClients clients = new NodeClients();
    private DockerFixture docker;
    private SlowDockerProxy dockerd;
    private ServicesNamespace services;
    private NamespaceTestServer server;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws Exception {
        docker = DockerFixture.require();
        dockerd = SlowDockerProxy.start(tmp, Duration.ofMillis(300));
        DockerSettings d = DockerSettings.defaults();
        server = NamespaceTestServer.start(ServicesNamespace.DEFINITION.with(new DockerSettings(dockerd.dockerHost(),
                d.defaultTail(), d.maxTail(), d.maxBatch(), d.flushEvery(), d.maxLineBytes(), d.requestTimeout(),
                d.reconnectEvery())));
        services = server.running();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (dockerd != null) {
            dockerd.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void fastSubscribeDisconnectCyclesAndChurnLeaveNoDockerFollowOpen() {
        String c = docker.run("i=0; while true; do i=$((i+1)); echo line $i; sleep 0.01; done");
        Await.until(() -> docker.logs(c).contains("line 5"), WAIT, "container printing");
        Set<Thread> before = streamThreads();
        long deadline = System.nanoTime() + BUDGET.toNanos();

        // 60 fast cycles: subscribe to logs and stats, disconnect without waiting for the acks
        for (int i = 0; i < 60 && System.nanoTime() < deadline; i++) {
            NodeSocket socket = clients.connect(server, WAIT);
            socket.emit("subscribe:logs", Map.of("container", c, "tail", 0));
            socket.emit("subscribe:stats", Map.of("container", c));
            socket.disconnect();
        }
        // 200 churn cycles: subscribe, take the ack, leave (by disconnect or by unsubscribe then disconnect)
        for (int i = 0; i < 200 && System.nanoTime() < deadline; i++) {
            NodeSocket socket = clients.connect(server, WAIT);
            String kind = i % 2 == 0 ? "logs" : "stats";
            JsonNode ack = socket.emitWithAck("subscribe:" + kind, WAIT, Map.of("container", c)).get(0);
            assertThat(ack.path("ok").asBoolean()).as("ack %s", ack).isTrue();
            if (i % 4 == 1) {
                socket.emit("unsubscribe:" + kind, Map.of("container", c));
            }
            socket.disconnect();
        }
        assertThat(System.nanoTime()).as("cycles finished within %s", BUDGET).isLessThan(deadline);

        Await.until(() -> allClosed(before), WAIT, "every follow closed; still open: " + new Object() {
            @Override
            public String toString() {
                return openCounts(before);
            }
        });

        // the namespace still works: a new subscriber gets live lines from a fresh follow
        NodeSocket socket = clients.connect(server, WAIT);
        socket.emitWithAck("subscribe:logs", WAIT, Map.of("container", c, "tail", 0));
        socket.awaitEvent("logs", WAIT);
        assertThat(services.activeStreams()).isEqualTo(1);
        socket.disconnect();
        Await.until(() -> allClosed(before), WAIT, "the last follow closed");
    }

    private boolean allClosed(Set<Thread> before) {
        return services.activeStreams() == 0 && services.openDockerStreams() == 0 && dockerd.openFollows() == 0
                && newStreamThreads(before).isEmpty();
    }

    private String openCounts(Set<Thread> before) {
        return "activeStreams=" + services.activeStreams() + " openDockerStreams=" + services.openDockerStreams()
                + " dockerdFollows=" + dockerd.openFollows() + " streamThreads=" + newStreamThreads(before).size();
    }

    private static Set<Thread> streamThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(STREAM_THREAD))
                .collect(Collectors.toSet());
    }

    private static List<Thread> newStreamThreads(Set<Thread> before) {
        return streamThreads().stream().filter(t -> !before.contains(t)).toList();
    }
}
