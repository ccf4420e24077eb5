package dev.switchboard.app.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;

import dev.switchboard.testkit.Await;

/**
 * The plain channels verify an {@code auth} message on the Netty I/O thread, so a JWT from a JWKS must never wait
 * for the endpoint there: the keys are fetched in the background and the token is checked against what is cached.
 */
class ChannelTokensJwksTest {

    @Test
    void plainChannelAuthNeverWaitsForTheJwksEndpoint_theKeysAreFetchedInTheBackground() throws Exception {
        RSAKey key = TestKeys.rsa("plain-1");
        try (JwksServer jwks = new JwksServer().publish(List.of(key)).mode(JwksServer.Mode.HANG)) {
            JwtVerifier verifier = new JwtVerifier(new JwksKeys(jwks.url(), Duration.ofMinutes(5), Duration.ofMillis(100)),
                    JwtAlgorithms.perKey(), JwtRules.NONE);
            ChannelTokens tokens = new ChannelTokens(List.of(), verifier, null, namespace -> false);
            String token = TestKeys.token(key, JWSAlgorithm.RS256, Map.of("sub", "agent", "namespaces", List.of("/mcp")));

            long started = System.nanoTime();
            assertThat(tokens.verifyToken(token)).isNull(); // the endpoint hangs: no keys yet, and no waiting
            // waiting on the hung endpoint would take the fetch timeout at least; a loaded machine may add a lot less
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(JwksKeys.TIMEOUT);

            jwks.mode(JwksServer.Mode.SERVE);
            Await.until(() -> tokens.verifyToken(token) != null, Duration.ofSeconds(10), "keys fetched in the background");
            assertThat(tokens.verifyToken(token).subject()).isEqualTo("agent");
        }
    }
}
