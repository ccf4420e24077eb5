package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdmissionSettingsTest {
    @Test
    void defaults() {
        AdmissionSettings a = SwitchboardConfig.fromEnvironment(Map.of()).admission();
        assertThat(a.maxSessions()).isEqualTo(50_000);
        assertThat(a.maxSessionsPerIp()).isEqualTo(1000);
        assertThat(a.handshakesPerSecondPerIp()).isEqualTo(50);
        assertThat(a.handshakeBurstPerIp()).isEqualTo(200);
        assertThat(a.maxTcpConnections()).isEqualTo(60_000);
        assertThat(a.maxTcpConnectionsPerIp()).isEqualTo(2000);
        assertThat(a.requestHeadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(a.allowedHosts()).isEmpty();
        assertThat(a.checkHost()).as("HOST=0.0.0.0: no check unless ALLOWED_HOSTS").isFalse();
        assertThat(a.memoryShedPercent()).isEqualTo(80);
    }

    @Test
    void explicitValues() {
        AdmissionSettings a = SwitchboardConfig.fromEnvironment(Map.of("MAX_SESSIONS", "100", "MAX_SESSIONS_PER_IP", "10",
                "HANDSHAKE_RATE_PER_IP", "5", "HANDSHAKE_BURST_PER_IP", "7", "MAX_TCP_CONNECTIONS", "300",
                "MAX_TCP_CONNECTIONS_PER_IP", "20", "REQUEST_HEAD_TIMEOUT_MS", "2500", "MEMORY_SHED_PERCENT", "0",
                "ALLOWED_HOSTS", "sb.example.com, [2001:db8::1]", "VPS_IP", "203.0.113.7")).admission();
        assertThat(a).isEqualTo(new AdmissionSettings(100, 10, 5, 7, 300, 20, Duration.ofMillis(2500),
                List.of("sb.example.com", "[2001:db8::1]", "203.0.113.7"), true, 0));
        assertThat(SwitchboardConfig.fromEnvironment(Map.of("HANDSHAKE_RATE_PER_IP", "10")).admission()
                .handshakeBurstPerIp()).as("burst follows the rate").isEqualTo(40);
    }

    /** The Host check guards a local development server, and any server naming its public hosts. */
    @Test
    void hostCheckIsOnForALoopbackDevelopmentServerOrWhenAllowedHostsAreNamed() {
        assertThat(check(Map.of("HOST", "127.0.0.1"))).isTrue();
        assertThat(check(Map.of("HOST", "::1"))).isTrue();
        assertThat(check(Map.of("HOST", "127.0.0.1", "TRUST_PROXY", "true"))).as("behind nginx: any public name").isFalse();
        assertThat(check(Map.of("HOST", "127.0.0.1", "SWITCHBOARD_ENV", "production"))).isFalse();
        assertThat(check(Map.of("HOST", "127.0.0.1", "TRUST_PROXY", "true", "ALLOWED_HOSTS", "sb.example.com"))).isTrue();
        assertThat(check(Map.of("ALLOWED_HOSTS", "sb.example.com"))).isTrue();
        assertThat(check(Map.of("VPS_IP", "203.0.113.7"))).as("VPS_IP alone names a host, it does not turn the check on")
                .isFalse();
    }

    private static boolean check(Map<String, String> env) {
        return SwitchboardConfig.fromEnvironment(env).admission().checkHost();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"MAX_SESSIONS|-1", "MAX_SESSIONS|lots", "MAX_SESSIONS_PER_IP|x",
            "HANDSHAKE_RATE_PER_IP|-2", "HANDSHAKE_BURST_PER_IP|0", "MAX_TCP_CONNECTIONS|1.5",
            "MAX_TCP_CONNECTIONS_PER_IP|-1", "REQUEST_HEAD_TIMEOUT_MS|10", "REQUEST_HEAD_TIMEOUT_MS|soon",
            "ALLOWED_HOSTS|http://sb.example.com", "ALLOWED_HOSTS|sb.example.com/path", "MEMORY_SHED_PERCENT|5",
            "MEMORY_SHED_PERCENT|96", "MEMORY_SHED_PERCENT|half"})
    void badValueNamesItsVariable(String variable, String value) {
        assertThatThrownBy(() -> SwitchboardConfig.fromEnvironment(Map.of(variable, value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(variable);
    }
}
