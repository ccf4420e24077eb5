package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.app.config.SwitchboardConfig;
import dev.switchboard.namespaces.core.SwitchboardNamespace;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/** The registry's real namespaces, wired as Main wires them: each greets a socket with {@code connected}. */
class RegisteredNamespacesTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** The events each namespace's connected greeting offers (README, "Namespaces: the client contract"). */
    private static final Map<String, String> GREETING_EVENTS = Map.of(
            "/system", "[\"subscribe:stats\",\"unsubscribe:stats\"]",
            "/files", "[\"watch\",\"unwatch\"]",
            "/mcp", "[\"join\",\"leave\"]",
            "/services", "[\"subscribe:logs\",\"unsubscribe:logs\",\"subscribe:stats\",\"unsubscribe:stats\",\"list\"]",
            "/deployments", "[\"subscribe:logs\",\"unsubscribe:logs\",\"subscribe:status\",\"unsubscribe:status\",\"list\"]");

    @TempDir
    Path pm2Home;

    @Test
    void everyRegisteredNamespaceSaysConnectedAndIsCountedInHealth() {
        Map<String, String> env = TestServers.baseEnv();
        env.put("PM2_HOME", pm2Home.toString()); // never the real ~/.pm2
        env.put("FILES_ROOTS", pm2Home.toString());
        SwitchboardConfig config = SwitchboardConfig.fromEnvironment(env);
        List<SwitchboardNamespace> namespaces = config.namespaces().enabledNamespaces();
        assertThat(namespaces).extracting(SwitchboardNamespace::name)
                .containsExactly("/system", "/files", "/mcp", "/services", "/deployments");

        try (SwitchboardServer server = SwitchboardServer.start(config, namespaces);
             NodeClientDriver driver = NodeClientDriver.start()) {
            for (SwitchboardNamespace namespace : namespaces) {
                NodeSocket socket = driver.connect(TestServers.url(server), namespace.name(),
                        ClientOptions.defaults().query(Map.of("userId", "u1")));
                socket.awaitConnect(WAIT);
                JsonNode greeting = socket.awaitEvent("connected", WAIT).get(0);
                assertThat(greeting.path("namespace").asText()).isEqualTo(namespace.name());
                assertThat(greeting.path("events").toString()).as(namespace.name() + " greeting's events")
                        .isEqualTo(GREETING_EVENTS.get(namespace.name()));
            }
            JsonNode health = Http.get(server.apiPort(), "/health").json();
            for (SwitchboardNamespace namespace : namespaces) {
                assertThat(health.path("connections").path(namespace.name().substring(1)).asInt()).as(namespace.name()).isEqualTo(1);
            }
        }
    }
}
