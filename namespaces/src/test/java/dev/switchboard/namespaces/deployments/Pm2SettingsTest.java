package dev.switchboard.namespaces.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class Pm2SettingsTest {
    @Test
    void readsEnvironmentIncludingPlainLogFiles() {
        Pm2Settings s = Pm2Settings.fromEnv(Map.of("PM2_HOME", "/srv/pm2", "PM2_POLL_MS", "2000",
                "DEPLOYMENT_LOGS", "billing:/var/log/billing.log, cron:/var/log/cron.log"));
        assertThat(s.rpcSocket()).isEqualTo(Path.of("/srv/pm2/rpc.sock"));
        assertThat(s.pollEvery()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.logFiles()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "billing", Path.of("/var/log/billing.log"), "cron", Path.of("/var/log/cron.log")));
        assertThat(Pm2Settings.fromEnv(Map.of()).logFiles()).isEmpty();
    }

    @Test
    void rejectsMalformedEntries() {
        assertThatThrownBy(() -> Pm2Settings.parseLogFiles("billing"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name:/path");
        assertThatThrownBy(() -> Pm2Settings.parseLogFiles(":/var/log/x.log"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pm2Settings.fromEnv(Map.of("PM2_POLL_MS", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PM2_POLL_MS");
    }
}
