package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.namespaces.deployments.DeploymentsNamespace;
import dev.switchboard.namespaces.deployments.Pm2Settings;
import dev.switchboard.namespaces.services.DockerSettings;
import dev.switchboard.namespaces.services.ServicesNamespace;

/** The /services and /deployments settings as the server reads them (the only path: SwitchboardConfig). */
class NamespaceSettingsTest {

    @Test
    void dockerSettingsReadTheirVariablesAndKeepDefaultsForTheRest() {
        DockerSettings s = docker(Map.of("DOCKER_HOST", "unix:///run/other.sock", "LOGS_MAX_TAIL", "5000",
                "LOGS_FLUSH_MS", "20"));
        assertThat(s.dockerHost()).isEqualTo("unix:///run/other.sock");
        assertThat(s.maxTail()).isEqualTo(5000);
        assertThat(s.flushEvery()).isEqualTo(Duration.ofMillis(20));
        assertThat(s.defaultTail()).isEqualTo(100);
        assertThat(s.maxBatch()).isEqualTo(500);
        assertThat(s.maxLineBytes()).isEqualTo(16 * 1024);
    }

    @Test
    void pm2SettingsReadTheirVariablesIncludingPlainLogFiles() {
        Pm2Settings s = pm2(Map.of("PM2_HOME", "/srv/pm2", "PM2_POLL_MS", "2000",
                "DEPLOYMENT_LOGS", "billing:/var/log/billing.log, cron:/var/log/cron.log"));
        assertThat(s.rpcSocket()).isEqualTo(Path.of("/srv/pm2/rpc.sock"));
        assertThat(s.pollEvery()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.logFiles()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "billing", Path.of("/var/log/billing.log"), "cron", Path.of("/var/log/cron.log")));
        assertThat(pm2(Map.of()).logFiles()).isEmpty();
    }

    @Test
    void bothLogNamespacesShareTheLogsVariables() {
        Map<String, String> env = Map.of("LOGS_MAX_TAIL", "70", "LOGS_DEFAULT_TAIL", "7", "LOGS_BATCH_LINES", "9",
                "LOGS_FLUSH_MS", "11", "LOGS_MAX_LINE_BYTES", "128");
        assertThat(docker(env).logLimits()).isEqualTo(pm2(env).logLimits())
                .extracting("defaultTail", "maxTail", "maxBatch", "flushEvery", "maxLineBytes")
                .containsExactly(7, 70, 9, Duration.ofMillis(11), 128);
    }

    @Test
    void badValuesNameTheirVariable() {
        assertRefused(Map.of("LOGS_MAX_TAIL", "lots"), "LOGS_MAX_TAIL");
        assertRefused(Map.of("LOGS_MAX_TAIL", "10", "LOGS_DEFAULT_TAIL", "50"), "LOGS_DEFAULT_TAIL");
        assertRefused(Map.of("PM2_POLL_MS", "soon"), "PM2_POLL_MS");
        assertRefused(Map.of("DEPLOYMENT_LOGS", "billing"), "DEPLOYMENT_LOGS");
    }

    private static DockerSettings docker(Map<String, String> env) {
        return SwitchboardConfig.fromEnvironment(env).namespaces().settings(ServicesNamespace.DEFINITION);
    }

    private static Pm2Settings pm2(Map<String, String> env) {
        return SwitchboardConfig.fromEnvironment(env).namespaces().settings(DeploymentsNamespace.DEFINITION);
    }

    private static void assertRefused(Map<String, String> env, String variable) {
        assertThatThrownBy(() -> SwitchboardConfig.fromEnvironment(env)).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).variable()).isEqualTo(variable);
    }
}
