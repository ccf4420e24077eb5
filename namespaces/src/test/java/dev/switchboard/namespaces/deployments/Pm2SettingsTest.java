package dev.switchboard.namespaces.deployments;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Pm2SettingsTest {
    @Test
    void rejectsMalformedEntries() {
        assertThatThrownBy(() -> Pm2Settings.parseLogFiles("billing"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name:/path");
        assertThatThrownBy(() -> Pm2Settings.parseLogFiles(":/var/log/x.log"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
