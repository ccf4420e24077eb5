package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

import dev.switchboard.app.TestServers;

/** WS_CHANNELS_*, PG_URL and PG_BRIDGE: defaults, and a clear error naming the variable for each bad value. */
class PlainChannelsSettingsTest {

    private static SwitchboardConfig config(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(TestServers.baseEnv());
        env.putAll(overrides);
        return SwitchboardConfig.fromEnvironment(env);
    }

    @Test
    void defaultsServeWsWithTheDefaultChannelsAndNoBridge() {
        PlainChannelsSettings s = config(Map.of()).channels();
        assertThat(s.enabled()).isTrue();
        assertThat(s.path()).isEqualTo("/ws");
        assertThat(s.catalog().resolve("agents/1").room()).isEqualTo("agent:1");
        assertThat(s.options().maxMessageBytes()).isEqualTo(65_536);
        assertThat(s.options().ratePerSecond()).isEqualTo(50);
        assertThat(s.options().maxConnectionsPerIp()).isEqualTo(1000);
        assertThat(s.options().metricsInterval().toMillis()).isEqualTo(5000);
        assertThat(s.pgUrl()).isNull();
        assertThat(s.pgRoutes()).isEmpty();
    }

    @Test
    void bridgeAndLimitsAreRead() {
        PlainChannelsSettings s = config(Map.of("PG_URL", "postgresql://u:secret@127.0.0.1:5432/app",
                "PG_BRIDGE", "jobs:/mcp:agent:{agent_id}:job", "WS_MAX_MESSAGE_BYTES", "2048",
                "WS_MAX_SUBSCRIPTIONS", "5", "WS_CHANNELS_ENABLED", "false")).channels();
        assertThat(s.enabled()).isFalse();
        assertThat(s.pgRoutes()).hasSize(1);
        assertThat(s.options().maxMessageBytes()).isEqualTo(2048);
        assertThat(s.options().maxSubscriptions()).isEqualTo(5);
        assertThat(config(Map.of("PG_URL", "postgresql://u:secret@h/db", "PG_BRIDGE", "a:/b:c:d")).toString())
                .doesNotContain("secret");
    }

    @Test
    void badValuesNameTheirVariable() {
        assertBad(Map.of("WS_CHANNELS", "global=/mcp:g:everyone:none"), "WS_CHANNELS");
        assertBad(Map.of("WS_CHANNELS_PATH", "ws"), "WS_CHANNELS_PATH");
        assertBad(Map.of("WS_CHANNELS_PATH", "/socket.io/x"), "WS_CHANNELS_PATH");
        assertBad(Map.of("WS_MAX_MESSAGE_BYTES", "2000000"), "WS_MAX_MESSAGE_BYTES");
        assertBad(Map.of("WS_METRICS_INTERVAL_MS", "5"), "WS_METRICS_INTERVAL_MS");
        assertBad(Map.of("PG_URL", "postgresql://h/db"), "PG_BRIDGE");
        assertBad(Map.of("PG_BRIDGE", "a:/b:c:d"), "PG_URL");
        assertBad(Map.of("PG_URL", "mysql://h/db", "PG_BRIDGE", "a:/b:c:d"), "PG_URL");
        assertBad(Map.of("PG_URL", "postgresql://h/db", "PG_BRIDGE", "bad-name:/b:c:d"), "PG_BRIDGE");
    }

    private static void assertBad(Map<String, String> env, String variable) {
        assertThatThrownBy(() -> config(env)).isInstanceOf(ConfigException.class).hasMessageContaining(variable);
    }
}
