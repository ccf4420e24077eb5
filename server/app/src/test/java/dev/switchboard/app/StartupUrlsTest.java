package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupUrlsTest {

    @Test
    void namesTheDashboardEndpointHealthAndEmitInOrder() {
        assertThat(StartupUrls.of("127.0.0.1", 3007, "127.0.0.1", 3008, "/socket.io")).containsExactly(
                org.assertj.core.api.Assertions.entry("dashboard", "http://127.0.0.1:3007/ui/"),
                org.assertj.core.api.Assertions.entry("socketio", "http://127.0.0.1:3007/socket.io/"),
                org.assertj.core.api.Assertions.entry("health", "http://127.0.0.1:3007/health"),
                org.assertj.core.api.Assertions.entry("emit", "http://127.0.0.1:3008/emit"));
    }

    @Test
    void showsAWildcardBindAsLocalhostAndBracketsIpv6() {
        assertThat(StartupUrls.of("0.0.0.0", 3007, "::1", 3008, "/rt").get("dashboard"))
                .isEqualTo("http://localhost:3007/ui/");
        assertThat(StartupUrls.of("::", 1, "::1", 3008, "/rt").get("emit")).isEqualTo("http://[::1]:3008/emit");
    }
}
