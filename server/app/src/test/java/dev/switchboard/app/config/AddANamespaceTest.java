package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.app.SwitchboardServer;
import dev.switchboard.app.TestServers;
import dev.switchboard.namespaces.core.NamespaceDefinition;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * A namespace with one setting is one class ({@link PrefixEchoNamespace}): its setting is read through the server's
 * typed configuration (recorded as a variable, a bad value names it), and it runs in the real server.
 */
class AddANamespaceTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void itsSettingIsReadThroughTheTypedConfiguration() {
        ConfigParser parser = new ConfigParser(ConfigSource.of(Map.of("ECHO_PREFIX", "re:")));
        NamespaceDefinition.Configured<String> echo = PrefixEchoNamespace.DEFINITION.configure(parser);
        assertThat(echo.settings()).isEqualTo("re:");
        assertThat(parser.effectiveValues()).containsEntry("ECHO_PREFIX", "re:");
        assertThat(PrefixEchoNamespace.DEFINITION.configure(new ConfigParser(ConfigSource.of(Map.of()))).settings())
                .isEqualTo("echo: ");
        assertThatThrownBy(() -> PrefixEchoNamespace.DEFINITION.configure(
                new ConfigParser(ConfigSource.of(Map.of("ECHO_PREFIX", "x".repeat(17))))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.variable()).isEqualTo("ECHO_PREFIX"));
    }

    @Test
    void itRunsInTheServerWithItsSetting() {
        NamespaceDefinition.Configured<String> echo = PrefixEchoNamespace.DEFINITION.configure(
                new ConfigParser(ConfigSource.of(Map.of("ECHO_PREFIX", "re:"))));
        try (SwitchboardServer server = TestServers.start(Map.of(), List.of(echo));
             NodeClientDriver driver = NodeClientDriver.start()) {
            NodeSocket socket = driver.connect(TestServers.url(server), "/echo");
            socket.awaitConnect(WAIT);
            assertThat(socket.awaitEvent("connected", WAIT).get(0).path("events").toString()).isEqualTo("[\"echo\"]");
            assertThat(socket.emitWithAck("echo", WAIT, "hi").get(0).toString())
                    .isEqualTo("{\"ok\":true,\"echo\":\"re:hi\"}");
        }
    }
}
