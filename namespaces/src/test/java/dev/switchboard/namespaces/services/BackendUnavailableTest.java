package dev.switchboard.namespaces.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.namespaces.core.NamespaceTestServer;

/** With no Docker engine at the configured address the server still serves /services and answers with errors. */
class BackendUnavailableTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void subscribersGetBackendUnavailableNotAHang() {
        DockerSettings d = DockerSettings.defaults();
        DockerSettings nowhere = new DockerSettings("unix:///tmp/sb-no-docker-here.sock", d.defaultTail(), d.maxTail(),
                d.maxBatch(), d.flushEvery(), d.maxLineBytes(), d.requestTimeout(), d.reconnectEvery());
        try (NamespaceTestServer server = NamespaceTestServer.start(ServicesNamespace.DEFINITION.with(nowhere));
             NodeClientDriver driver = NodeClientDriver.start()) {
            ServicesNamespace services = server.running();
            NodeSocket socket = driver.connect(server.url(), "/services");
            socket.awaitConnect(WAIT);
            socket.awaitEvent("connected", WAIT);
            for (String event : new String[] {"subscribe:logs", "subscribe:stats"}) {
                JsonNode ack = socket.emitWithAck(event, WAIT, Map.of("container", "anything")).get(0);
                assertThat(ack.path("ok").asBoolean()).isFalse();
                assertThat(ack.path("code").asText()).as("%s ack %s", event, ack).isEqualTo("BACKEND_UNAVAILABLE");
            }
            JsonNode list = socket.emitWithAck("list", WAIT).get(0);
            assertThat(list.path("code").asText()).isEqualTo("BACKEND_UNAVAILABLE");
            JsonNode error = socket.awaitEvent("error", WAIT).get(0);
            assertThat(error.path("message").asText()).contains("docker engine");
            assertThat(services.activeStreams()).isZero();
        }
    }
}
