package dev.switchboard.namespaces.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 * Issue #16 item 4: the existing frontend helper ({@code servicesWS.subscribeLogs('service-id', 'container-name',
 * cb)} printing {@code data.data}) against the real dockerd and the real socket.io-client: the container may be
 * named by {@code container}, {@code containerId}, {@code containerName}, {@code id} or a plain string, and every
 * {@code logs} event carries {@code data}, its lines' text joined by {@code \n}, beside {@code lines}.
 */
class ServicesContainerAliasesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @RegisterExtension
    static final NodeClients clients = new NodeClients();
    private DockerFixture docker;
    private ServicesNamespace services;
    private NamespaceTestServer server;
    private String container;

    @BeforeEach
    void start() {
        docker = DockerFixture.require();
        server = NamespaceTestServer.start(ServicesNamespace.DEFINITION.with(DockerSettings.defaults()));
        services = server.running();
        container = docker.run("echo first; echo second; echo third; sleep 600");
        Await.until(() -> docker.logs(container).contains("third"), WAIT, "container printed its lines");
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

    private NodeSocket connect() {
        NodeSocket socket = clients.connect(server, WAIT);
        socket.awaitEvent("connected", WAIT);
        return socket;
    }

    @Test
    void everyAliasAndAPlainStringSubscribeAndEachLogsEventCarriesItsText() {
        String id = docker.docker("inspect", "--format", "{{.Id}}", container);
        List<Object> requests = List.of(
                Map.of("container", container),
                Map.of("containerName", container, "serviceId", "svc-legacy"),
                Map.of("containerId", id),
                Map.of("id", id.substring(0, 12)),
                container);
        for (Object request : requests) {
            NodeSocket socket = connect();
            JsonNode ack = socket.emitWithAck("subscribe:logs", WAIT, request).get(0);
            assertThat(ack.path("ok").asBoolean()).as("ack of %s: %s", request, ack).isTrue();

            JsonNode logs = socket.awaitEvent("logs", WAIT).get(0);
            List<String> texts = new ArrayList<>();
            logs.path("lines").forEach(line -> texts.add(line.path("line").asText()));
            assertThat(texts).as("lines of %s", request).containsExactly("first", "second", "third");
            assertThat(logs.path("data").asText()).as("data of %s", request).isEqualTo("first\nsecond\nthird");

            JsonNode left = socket.emitWithAck("unsubscribe:logs", WAIT, request).get(0);
            assertThat(left.path("unsubscribed").asInt()).as("unsubscribe with %s", request).isEqualTo(1);
            socket.disconnect();
        }
        Await.until(() -> services.activeStreams() == 0, WAIT, "every stream released");
    }

    @Test
    void statsTakeTheAliasesToo() {
        NodeSocket socket = connect();
        JsonNode ack = socket.emitWithAck("subscribe:stats", WAIT, Map.of("containerName", container)).get(0);
        assertThat(ack.path("ok").asBoolean()).as("ack %s", ack).isTrue();
        assertThat(socket.awaitEvent("stats", WAIT).get(0).path("container").asText()).isEqualTo(container);
        JsonNode left = socket.emitWithAck("unsubscribe:stats", WAIT, container).get(0);
        assertThat(left.path("unsubscribed").asInt()).isEqualTo(1);
        Await.until(() -> services.activeStreams() == 0, WAIT, "stats stream released");
    }

    @Test
    void twoFieldsNamingDifferentContainersOrNoneAreRefusedClearly() {
        NodeSocket socket = connect();
        JsonNode conflict = socket.emitWithAck("subscribe:logs", WAIT,
                Map.of("container", container, "containerName", "another")).get(0);
        assertThat(conflict.path("ok").asBoolean()).isFalse();
        assertThat(conflict.path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(conflict.path("message").asText()).contains("'container'", "'containerName'");

        JsonNode none = socket.emitWithAck("subscribe:logs", WAIT, Map.of("serviceId", "svc")).get(0);
        assertThat(none.path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(none.path("message").asText()).contains("containerId", "containerName", "plain string");

        JsonNode same = socket.emitWithAck("subscribe:logs", WAIT,
                Map.of("container", container, "containerName", container)).get(0);
        assertThat(same.path("ok").asBoolean()).as("the same container twice is fine: %s", same).isTrue();
        assertThat(services.activeStreams()).isEqualTo(1);
    }
}
