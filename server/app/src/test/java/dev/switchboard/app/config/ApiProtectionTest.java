package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** ALLOWED_HOSTS, API_REQUEST_TIMEOUT_MS and API_MAX_CONNECTIONS_PER_IP. */
class ApiProtectionTest {
    @Test
    void defaultsAreLoopbackNamesOnlyTenSecondsAnd256Connections() {
        ApiProtection api = SwitchboardConfig.fromEnvironment(Map.of()).apiProtection();
        assertThat(api.allowedHosts()).isEmpty();
        assertThat(api.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(api.maxConnectionsPerIp()).isEqualTo(256);
    }

    @Test
    void allowedHostsAddVpsIpAndSpecificBindAddresses() {
        Map<String, String> env = new HashMap<>();
        env.put("ALLOWED_HOSTS", "switchboard.example.com, 2001:db8::1");
        env.put("VPS_IP", "203.0.113.7");
        env.put("HOST", "127.0.0.1");
        ApiProtection api = SwitchboardConfig.fromEnvironment(env).apiProtection();
        assertThat(api.allowedHosts()).containsExactly("switchboard.example.com", "2001:db8::1", "203.0.113.7");
    }

    @Test
    void badValuesNameTheirVariable() {
        assertRefused(Map.of("ALLOWED_HOSTS", "https://switchboard.example.com"), "ALLOWED_HOSTS");
        assertRefused(Map.of("ALLOWED_HOSTS", "switchboard.example.com:443"), "ALLOWED_HOSTS");
        assertRefused(Map.of("API_REQUEST_TIMEOUT_MS", "50"), "API_REQUEST_TIMEOUT_MS");
        assertRefused(Map.of("API_REQUEST_TIMEOUT_MS", "soon"), "API_REQUEST_TIMEOUT_MS");
        assertRefused(Map.of("API_MAX_CONNECTIONS_PER_IP", "-1"), "API_MAX_CONNECTIONS_PER_IP");
    }

    @Test
    void zeroTurnsEachBoundOff() {
        ApiProtection api = SwitchboardConfig.fromEnvironment(Map.of("API_REQUEST_TIMEOUT_MS", "0",
                "API_MAX_CONNECTIONS_PER_IP", "0")).apiProtection();
        assertThat(api.requestTimeout()).isZero();
        assertThat(api.maxConnectionsPerIp()).isZero();
    }

    private static void assertRefused(Map<String, String> env, String variable) {
        assertThatThrownBy(() -> SwitchboardConfig.fromEnvironment(env))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).variable()).isEqualTo(variable));
    }
}
