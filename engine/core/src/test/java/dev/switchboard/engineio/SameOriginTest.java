package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which requests count as coming from a page of the console's own origin. */
class SameOriginTest {
    @Test
    void theServersOwnOriginAndNonBrowserClientsPass() {
        assertThat(SameOrigin.allows("http://127.0.0.1:3007", "127.0.0.1:3007", "same-origin")).isTrue();
        assertThat(SameOrigin.allows("https://sb.example.com", "sb.example.com:443", null)).isTrue();
        assertThat(SameOrigin.allows("http://[::1]:3007", "[::1]:3007", null)).isTrue();
        assertThat(SameOrigin.allows(null, "127.0.0.1:3007", null)).as("curl").isTrue();
        assertThat(SameOrigin.allows(null, null, "none")).as("typed in the address bar").isTrue();
    }

    @Test
    void otherOriginsAndCrossSiteFetchesAreRefused() {
        assertThat(SameOrigin.allows("http://evil.example", "127.0.0.1:3007", null)).isFalse();
        assertThat(SameOrigin.allows("http://127.0.0.1:3000", "127.0.0.1:3007", null)).as("another port").isFalse();
        assertThat(SameOrigin.allows("null", "127.0.0.1:3007", null)).as("sandboxed frame").isFalse();
        assertThat(SameOrigin.allows("http://127.0.0.1:3007", "127.0.0.1:3007", "cross-site")).isFalse();
        assertThat(SameOrigin.allows("http://127.0.0.1:3007", "127.0.0.1:3007", "same-site")).isFalse();
        assertThat(SameOrigin.allows("http://sb.example.com", null, null)).isFalse();
        assertThat(SameOrigin.allows("http://[::1]:3000", "[::1]:3007", null)).isFalse();
    }

    @Test
    void aHostWithoutPortBehindNginxIsComparedByName() {
        assertThat(SameOrigin.allows("https://sb.example.com:8443", "sb.example.com", null)).isTrue();
        assertThat(SameOrigin.allows("https://evil.example:8443", "sb.example.com", null)).isFalse();
        assertThat(SameOrigin.allows("http://[::1]:8080", "[::1]", null)).isTrue();
    }
}
