package dev.switchboard.namespaces.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DockerSettingsTest {
    @Test
    void readsEnvironmentAndKeepsDefaultsForTheRest() {
        DockerSettings s = DockerSettings.fromEnv(Map.of("DOCKER_HOST", "unix:///run/other.sock", "LOGS_MAX_TAIL", "5000",
                "LOGS_FLUSH_MS", "20"));
        assertThat(s.dockerHost()).isEqualTo("unix:///run/other.sock");
        assertThat(s.maxTail()).isEqualTo(5000);
        assertThat(s.flushEvery()).isEqualTo(Duration.ofMillis(20));
        assertThat(s.defaultTail()).isEqualTo(100);
        assertThat(s.maxBatch()).isEqualTo(500);
        assertThat(s.maxLineBytes()).isEqualTo(16 * 1024);
    }

    @Test
    void rejectsBadValuesWithTheVariableName() {
        assertThatThrownBy(() -> DockerSettings.fromEnv(Map.of("LOGS_MAX_TAIL", "lots")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LOGS_MAX_TAIL");
        assertThatThrownBy(() -> DockerSettings.fromEnv(Map.of("LOGS_MAX_TAIL", "10", "LOGS_DEFAULT_TAIL", "50")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultTail");
    }
}
