package dev.switchboard.emitapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which Host headers pass: loopback names and the configured ones, with or without a port; nothing else. */
class HostRuleTest {
    private final HostRule loopbackOnly = new HostRule(List.of());
    private final HostRule configured = new HostRule(List.of("switchboard.example.com", "203.0.113.7", "2001:db8::1"));

    @Test
    void loopbackNamesPassWithOrWithoutPort() {
        for (String host : List.of("localhost", "LOCALHOST:3008", "127.0.0.1", "127.0.0.1:3008", "127.1.2.3:80",
                "[::1]", "[::1]:3008")) {
            assertThat(loopbackOnly.allows(host)).as(host).isTrue();
        }
    }

    @Test
    void rebindingNamesAndLookAlikesAreRefused() {
        for (String host : List.of("attacker.example", "attacker.example:3008", "localhost.attacker.example",
                "127.0.0.1.nip.io", "127.0.0.1.attacker.example:3008", "localhost:abc", "localhost:", "127.0.0",
                "127.0.0.256", "127.0.0.1.", "128.0.0.1", "0.0.0.0", "[::2]", "[::1", "", "[::1]x",
                "localhost:3008:1", "127.0.0.1:123456")) {
            assertThat(loopbackOnly.allows(host)).as(host).isFalse();
        }
    }

    @Test
    void configuredNamesPassToo() {
        assertThat(configured.allows("switchboard.example.com")).isTrue();
        assertThat(configured.allows("Switchboard.Example.com:443")).isTrue();
        assertThat(configured.allows("203.0.113.7:3007")).isTrue();
        assertThat(configured.allows("[2001:db8::1]:3007")).isTrue();
        assertThat(configured.allows("evil.switchboard.example.com")).isFalse();
        assertThat(configured.allows("switchboard.example.com.evil")).isFalse();
        assertThat(loopbackOnly.allows("switchboard.example.com")).isFalse();
    }

    @Test
    void noHostHeaderIsNotABrowser() {
        assertThat(loopbackOnly.allows(null)).isTrue();
    }
}
