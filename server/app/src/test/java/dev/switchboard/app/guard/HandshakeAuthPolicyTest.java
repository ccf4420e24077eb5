package dev.switchboard.app.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.app.config.SwitchboardConfig;
import dev.switchboard.emitapi.SwitchboardMetrics;

/** Which namespaces need credentials, for each combination of HOST and configured auth. */
class HandshakeAuthPolicyTest {

    @Test
    void loopbackWithoutAuthIsOpen() {
        HandshakeAuth auth = auth(Map.of("HOST", "127.0.0.1"));
        for (String ns : new String[] {"/services", "/deployments", "/files", "/system", "/mcp"}) {
            assertThat(auth.modeFor(ns)).as(ns).isEqualTo(HandshakeAuth.Mode.OPEN);
        }
    }

    @Test
    void publicHostWithoutAuthClosesTheSensitiveNamespaces() {
        HandshakeAuth auth = auth(Map.of("HOST", "0.0.0.0"));
        assertThat(auth.modeFor("/services")).isEqualTo(HandshakeAuth.Mode.CLOSED);
        assertThat(auth.modeFor("/deployments")).isEqualTo(HandshakeAuth.Mode.CLOSED);
        assertThat(auth.modeFor("/files")).isEqualTo(HandshakeAuth.Mode.CLOSED);
        assertThat(auth.modeFor("/system")).isEqualTo(HandshakeAuth.Mode.OPEN);
        assertThat(auth.modeFor("/mcp")).isEqualTo(HandshakeAuth.Mode.OPEN);
    }

    @Test
    void loopbackBehindAProxyOrInProductionIsExposedToo() {
        // nginx on the same machine forwards the internet to 127.0.0.1: the shipped VPS setup
        for (Map<String, String> env : java.util.List.of(Map.of("HOST", "127.0.0.1", "TRUST_PROXY", "true"),
                Map.of("HOST", "127.0.0.1", "SWITCHBOARD_ENV", "production"))) {
            HandshakeAuth auth = auth(env);
            assertThat(auth.modeFor("/services")).as(env.toString()).isEqualTo(HandshakeAuth.Mode.CLOSED);
            assertThat(auth.modeFor("/files")).as(env.toString()).isEqualTo(HandshakeAuth.Mode.CLOSED);
            assertThat(auth.modeFor("/mcp")).as(env.toString()).isEqualTo(HandshakeAuth.Mode.OPEN);
        }
    }

    @Test
    void publicNamespacesOverrideTheClosedDefault() {
        HandshakeAuth auth = auth(Map.of("HOST", "0.0.0.0", "PUBLIC_NAMESPACES", "/files"));
        assertThat(auth.modeFor("/files")).isEqualTo(HandshakeAuth.Mode.OPEN);
        assertThat(auth.modeFor("/services")).isEqualTo(HandshakeAuth.Mode.CLOSED);
    }

    @Test
    void configuredAuthProtectsEveryNamespaceButThePublicOnes() {
        HandshakeAuth auth = auth(Map.of("HOST", "0.0.0.0", "AUTH_TOKENS", "a-token-of-16-chars", "PUBLIC_NAMESPACES", "/system"));
        assertThat(auth.modeFor("/services")).isEqualTo(HandshakeAuth.Mode.CREDENTIALS);
        assertThat(auth.modeFor("/mcp")).isEqualTo(HandshakeAuth.Mode.CREDENTIALS);
        assertThat(auth.modeFor("/system")).isEqualTo(HandshakeAuth.Mode.OPEN);
        HandshakeAuth loopback = auth(Map.of("HOST", "127.0.0.1", "JWT_SECRET", "j".repeat(32)));
        assertThat(loopback.modeFor("/system")).isEqualTo(HandshakeAuth.Mode.CREDENTIALS);
    }

    private static HandshakeAuth auth(Map<String, String> env) {
        return new HandshakeAuth(SwitchboardConfig.fromEnvironment(env), new SwitchboardMetrics());
    }
}
