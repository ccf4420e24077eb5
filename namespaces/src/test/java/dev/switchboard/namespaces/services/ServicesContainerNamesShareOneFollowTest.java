package dev.switchboard.namespaces.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.namespaces.core.NamespaceTestServer;
import dev.switchboard.namespaces.core.NodeClients;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.NodeSocket;

/**
 * One container reached under many names (its full id, id prefixes of every length from 12, and its name)
 * is one Docker log follow and one stats stream, not one per name; each subscriber still gets every answer and
 * event under the name it sent. Counted through what dockerd serves us ({@code openDockerStreams}).
 */
class ServicesContainerNamesShareOneFollowTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @RegisterExtension
    static final NodeClients clients = new NodeClients();
    private DockerFixture docker;
    private ServicesNamespace services;
    private NamespaceTestServer server;
    private String container;
    private List<String> names;

    @BeforeEach
    void start() {
        docker = DockerFixture.require();
        server = NamespaceTestServer.start(ServicesNamespace.DEFINITION.with(DockerSettings.defaults()));
        services = server.running();
        container = docker.run("echo first; echo second; " + DockerFixture.afterGo("echo live; sleep 600"));
        Await.until(() -> docker.logs(container).contains("second"), WAIT, "container printed its lines");
        String id = docker.docker("inspect", "--format", "{{.Id}}", container);
        names = new ArrayList<>(List.of(container));
        for (int length = 12; length <= id.length() && names.size() < ServicesNamespace.MAX_SUBSCRIPTIONS_PER_SOCKET; length++) {
            names.add(id.substring(0, length));
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void everyNameOfOneContainerSharesOneLogFollowAndKeepsItsOwnName() {
        NodeSocket socket = clients.connect(server, WAIT);
        socket.awaitEvent("connected", WAIT);
        subscribe(socket, "subscribe:logs", names.get(0));
        int streamsForOneName = services.openDockerStreams(); // its log follow and the /events follow

        for (String name : names.subList(1, names.size())) {
            subscribe(socket, "subscribe:logs", name);
        }
        assertThat(services.openDockerStreams()).as("Docker streams after %d names of one container", names.size())
                .isEqualTo(streamsForOneName);
        assertThat(services.activeStreams()).as("/health's activeStreams counts the one follow").isEqualTo(1);

        docker.go(container);
        for (String name : names) {
            JsonNode live = socket.awaitEvent("logs", args -> args.get(0).path("container").asText().equals(name)
                    && args.get(0).path("data").asText().equals("live"), WAIT).get(0);
            assertThat(live.path("lines").get(0).path("line").asText()).isEqualTo("live");
        }
        Set<String> tailNames = new HashSet<>();
        for (JsonNode args : socket.events("logs")) {
            if (args.get(0).path("data").asText().equals("first\nsecond")) {
                tailNames.add(args.get(0).path("container").asText());
            }
        }
        assertThat(tailNames).as("each name got its own tail under its own name").containsExactlyInAnyOrderElementsOf(names);

        for (String name : names) {
            JsonNode left = socket.emitWithAck("unsubscribe:logs", WAIT, name).get(0);
            assertThat(left.path("unsubscribed").asInt()).as("unsubscribe %s", name).isEqualTo(1);
        }
        Await.until(() -> services.activeStreams() == 0 && services.openDockerStreams() == 0, WAIT,
                "the shared follow released with the last name");
    }

    @Test
    void everyNameOfOneContainerSharesOneStatsStreamAndKeepsItsOwnName() {
        List<String> few = names.subList(0, 6);
        NodeSocket socket = clients.connect(server, WAIT);
        socket.awaitEvent("connected", WAIT);
        subscribe(socket, "subscribe:stats", few.get(0));
        int streamsForOneName = services.openDockerStreams();

        for (String name : few.subList(1, few.size())) {
            subscribe(socket, "subscribe:stats", name);
        }
        assertThat(services.openDockerStreams()).as("Docker streams after %d names of one container", few.size())
                .isEqualTo(streamsForOneName);
        assertThat(services.activeStreams()).as("/health's activeStreams counts the one stats stream").isEqualTo(1);
        for (String name : few) {
            socket.awaitEvent("stats", args -> args.get(0).path("container").asText().equals(name), WAIT);
        }

        socket.disconnect();
        Await.until(() -> services.activeStreams() == 0 && services.openDockerStreams() == 0, WAIT,
                "the shared stats stream released with the last name");
    }

    private static void subscribe(NodeSocket socket, String event, String name) {
        JsonNode ack = socket.emitWithAck(event, WAIT, Map.of("container", name)).get(0);
        assertThat(ack.path("ok").asBoolean()).as("%s %s: %s", event, name, ack).isTrue();
        assertThat(ack.path("container").asText()).isEqualTo(name);
    }
}
