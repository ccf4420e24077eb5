package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** DNS rebinding: the Host header is checked against loopback names plus the configured public names. */
class HostCheckTest {
    @Test
    void loopbackNamesAndConfiguredNamesWithOrWithoutPortAreAllowed() {
        HostCheck check = HostCheck.loopbackAnd(List.of("switchboard.example.com", "203.0.113.7"));
        for (String host : List.of("localhost", "localhost:3007", "LOCALHOST:3007", "app.localhost:5173", "127.0.0.1",
                "127.0.0.1:3007", "127.1.2.3", "[::1]", "[::1]:3007", "switchboard.example.com",
                "Switchboard.Example.COM:443", "switchboard.example.com.", "203.0.113.7:3007")) {
            assertThat(check.allows(host)).as(host).isTrue();
        }
        for (String host : List.of("evil.test", "evil.test:3007", "127.0.0.1.evil.test", "localhost.evil.test",
                "example.com", "0.0.0.0", "128.0.0.1", "127.0.0.256", "[::2]", "", "evil.com:localhost")) {
            assertThat(check.allows(host)).as(host).isFalse();
        }
        assertThat(check.allows(null)).as("no Host: not a browser").isTrue();
        assertThat(HostCheck.ANY.allows("evil.test")).isTrue();
    }

    @Test
    void malformedAndLookAlikeHostsAreRefused() {
        HostCheck loopbackOnly = HostCheck.loopbackAnd(List.of());
        for (String host : List.of("attacker.example", "attacker.example:3008", "localhost.attacker.example",
                "127.0.0.1.nip.io", "127.0.0.1.attacker.example:3008", "localhost:abc", "localhost:", "127.0.0",
                "127.0.0.256", "128.0.0.1", "0.0.0.0", "[::2]", "[::1", "", "[::1]x", "localhost:3008:1",
                "127.0.0.1:123456")) {
            assertThat(loopbackOnly.allows(host)).as(host).isFalse();
        }
        HostCheck configured = HostCheck.loopbackAnd(List.of("switchboard.example.com", "2001:db8::1"));
        assertThat(configured.allows("[2001:db8::1]:3007")).isTrue();
        assertThat(configured.allows("evil.switchboard.example.com")).isFalse();
        assertThat(configured.allows("switchboard.example.com.evil")).isFalse();
    }

    @Test
    void aRequestWithAForeignHostIsRefusedOnEveryRouteOfThePublicPort() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions()
                .hostCheck(HostCheck.loopbackAnd(List.of("sb.example.com"))).build())) {
            int port = engine.port();
            String handshake = TestEngine.PATH + "?EIO=4&transport=polling";
            try (RawHttp c = RawHttp.connect("127.0.0.1", port)) {
                RawHttp.Answer evil = c.exchange("GET " + handshake + " HTTP/1.1\r\nHost: rebind.evil.test:" + port + "\r\n\r\n");
                assertThat(evil.status()).isEqualTo(403);
                assertThat(evil.body()).isEqualTo("{\"code\":403,\"message\":\"Host not allowed\"}");
            }
            try (RawHttp c = RawHttp.connect("127.0.0.1", port)) {
                assertThat(c.exchange("GET /health HTTP/1.1\r\nHost: rebind.evil.test\r\n\r\n").status()).isEqualTo(403);
            }
            try (RawHttp c = RawHttp.connect("127.0.0.1", port)) {
                assertThat(c.exchange("GET " + TestEngine.PATH + "?EIO=4&transport=websocket HTTP/1.1\r\n"
                        + "Host: rebind.evil.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").status())
                        .isEqualTo(403);
            }
            assertThat(engine.server.clientsCount()).isZero();
            for (String host : List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "sb.example.com")) {
                try (RawHttp c = RawHttp.connect("127.0.0.1", port)) {
                    assertThat(c.exchange("GET " + handshake + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").status())
                            .as(host).isEqualTo(200);
                }
            }
        }
    }
}
