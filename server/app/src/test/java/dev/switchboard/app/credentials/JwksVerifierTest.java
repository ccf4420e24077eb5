package dev.switchboard.app.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;

import dev.switchboard.app.CapturedLogs;

/** JWT verification against a real local JWKS endpoint: every algorithm, rotation by kid, the bounds of fetching. */
class JwksVerifierTest {
    private static final Map<String, Object> GRANT = Map.of("sub", "u1", "namespaces", List.of("/services"));
    private static final Duration LONG = Duration.ofMinutes(5);

    private final RSAKey rsa = TestKeys.rsa("rsa-1");
    private final RSAKey rsaPss = new RSAKey.Builder(TestKeys.rsa("rsa-pss")).algorithm(JWSAlgorithm.PS256).build();
    private final ECKey ec = TestKeys.ec("ec-1");
    private final OctetKeyPair ed = TestKeys.ed25519("ed-1");
    private JwksServer jwks;

    @AfterEach
    void close() {
        if (jwks != null) {
            jwks.close();
        }
    }

    private JwtVerifier verifier(JwtAlgorithms algorithms, Duration cache, Duration minRefresh) throws Exception {
        if (jwks == null) {
            jwks = new JwksServer().publish(List.of(rsa, rsaPss, ec, ed));
        }
        return new JwtVerifier(new JwksKeys(jwks.url(), cache, minRefresh), algorithms, JwtRules.NONE);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    void everyAsymmetricAlgorithmVerifiesByKid_fromOneFetch() throws Exception {
        JwtVerifier verifier = verifier(JwtAlgorithms.perKey(), LONG, LONG);
        assertThat(verifier.verify(TestKeys.token(rsa, JWSAlgorithm.RS256, GRANT), now()).subject()).isEqualTo("u1");
        assertThat(verifier.verify(TestKeys.token(rsaPss, JWSAlgorithm.PS256, GRANT), now()).grants("/services")).isTrue();
        assertThat(verifier.verify(TestKeys.token(ec, JWSAlgorithm.ES256, GRANT), now()).subject()).isEqualTo("u1");
        assertThat(verifier.verify(TestKeys.token(ed, JWSAlgorithm.EdDSA, GRANT), now()).subject()).isEqualTo("u1");
        assertThat(jwks.requests()).isEqualTo(1);
    }

    @Test
    void eachKeyIsPinnedToItsAlgorithm_unlessJwtAlgorithmsListsMore() throws Exception {
        JwtVerifier perKey = verifier(JwtAlgorithms.perKey(), LONG, LONG);
        // an RSA key without "alg" is RS256 only; one whose alg is PS256 is PS256 only
        assertRefused(perKey, TestKeys.token(rsa, JWSAlgorithm.PS256, GRANT), "unexpected algorithm");
        assertRefused(perKey, TestKeys.token(rsaPss, JWSAlgorithm.RS256, GRANT), "unexpected algorithm");
        // HS256 "signed" with the RSA public key (algorithm confusion), and HS with a JWKS at all, are refused
        OctetSequenceKey confused = new OctetSequenceKey.Builder(rsa.toPublicJWK().toRSAPublicKey().getEncoded())
                .keyID("rsa-1").build();
        assertRefused(perKey, TestKeys.token(confused, JWSAlgorithm.HS256, GRANT), "unexpected algorithm");

        JwtVerifier listed = new JwtVerifier(new JwksKeys(jwks.url(), LONG, LONG),
                JwtAlgorithms.pinned(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256)), JwtRules.NONE);
        assertThat(listed.verify(TestKeys.token(rsa, JWSAlgorithm.PS256, GRANT), now()).subject()).isEqualTo("u1");
        assertRefused(listed, TestKeys.token(ec, JWSAlgorithm.ES256, GRANT), "unexpected algorithm");
        assertRefused(listed, TestKeys.token(rsa, JWSAlgorithm.RS256, "ec-1", GRANT), "unexpected algorithm");
    }

    @Test
    void rulesAndClaimsStayAsForOneKey() throws Exception {
        JwtVerifier strict = verifier(JwtAlgorithms.perKey(), LONG, LONG)
                .requiring(new JwtRules("https://auth.example", "switchboard", true));
        String good = TestKeys.token(ec, JWSAlgorithm.ES256, Map.of("iss", "https://auth.example", "aud", "switchboard",
                "exp", now() + 60, "rooms", List.of("team:*"), "namespaces", "/mcp"));
        JwtClaims claims = strict.verify(good, now());
        assertThat(claims.grants("/mcp")).isTrue();
        assertThat(claims.rooms()).hasSize(1);
        assertRefused(strict, TestKeys.token(ec, JWSAlgorithm.ES256, Map.of("iss", "https://auth.example",
                "aud", "switchboard")), "token has no expiry");
        assertRefused(strict, TestKeys.token(ec, JWSAlgorithm.ES256, Map.of("iss", "https://other.example",
                "aud", "switchboard", "exp", now() + 60)), "wrong issuer");
        assertRefused(strict, TestKeys.token(ec, JWSAlgorithm.ES256, Map.of("iss", "https://auth.example",
                "aud", "billing", "exp", now() + 60)), "wrong audience");
        assertRefused(strict, TestKeys.token(ec, JWSAlgorithm.ES256, Map.of("exp", now() - 3600)), "token expired");
        assertRefused(strict, TestKeys.token(TestKeys.ec("ec-1"), JWSAlgorithm.ES256, GRANT), "bad signature");
    }

    @Test
    void rotationByKid_newKeyIsFetchedOnItsFirstToken_theRemovedOneIsRefusedAfterTheRefresh() throws Exception {
        JwtVerifier verifier = verifier(JwtAlgorithms.perKey(), LONG, Duration.ZERO);
        String oldToken = TestKeys.token(rsa, JWSAlgorithm.RS256, GRANT);
        verifier.verify(oldToken, now());

        ECKey next = TestKeys.ec("ec-2");
        jwks.publish(List.of(next)); // rotated: only the new key is published
        assertThat(verifier.verify(TestKeys.token(next, JWSAlgorithm.ES256, GRANT), now()).subject()).isEqualTo("u1");
        assertThat(jwks.requests()).isEqualTo(2);
        assertRefused(verifier, oldToken, "unknown signing key");
    }

    @Test
    void cachedSetExpires_aKeyRemovedFromItStopsWorkingWithoutAnyUnknownKid() throws Exception {
        long[] clock = {0};
        jwks = new JwksServer().publish(List.of(rsa, ec));
        JwtVerifier verifier = new JwtVerifier(new JwksKeys(jwks.url(), Duration.ofSeconds(60), Duration.ofSeconds(1),
                () -> clock[0]), JwtAlgorithms.perKey(), JwtRules.NONE);
        String rsaToken = TestKeys.token(rsa, JWSAlgorithm.RS256, GRANT);
        verifier.verify(rsaToken, now());
        jwks.publish(List.of(ec));
        clock[0] = Duration.ofSeconds(59).toNanos();
        verifier.verify(rsaToken, now()); // still cached
        assertThat(jwks.requests()).isEqualTo(1);
        clock[0] = Duration.ofSeconds(61).toNanos();
        assertRefused(verifier, rsaToken, "unknown signing key");
        assertThat(jwks.requests()).isEqualTo(2);
    }

    @Test
    void kidFlood_fetchesAtMostOncePerMinRefreshInterval() throws Exception {
        long[] clock = {0};
        jwks = new JwksServer().publish(List.of(rsa));
        JwtVerifier verifier = new JwtVerifier(new JwksKeys(jwks.url(), LONG, Duration.ofSeconds(30), () -> clock[0]),
                JwtAlgorithms.perKey(), JwtRules.NONE);
        for (int i = 0; i < 500; i++) {
            assertRefused(verifier, TestKeys.token(rsa, JWSAlgorithm.RS256, UUID.randomUUID().toString(), GRANT),
                    "unknown signing key");
        }
        assertThat(jwks.requests()).isEqualTo(1); // the first fetch; the 500 unknown kids added none
        clock[0] = Duration.ofSeconds(31).toNanos();
        for (int i = 0; i < 500; i++) {
            assertRefused(verifier, TestKeys.token(rsa, JWSAlgorithm.RS256, UUID.randomUUID().toString(), GRANT),
                    "unknown signing key");
        }
        assertThat(jwks.requests()).isEqualTo(2);
        assertThat(verifier.verify(TestKeys.token(rsa, JWSAlgorithm.RS256, GRANT), now()).subject()).isEqualTo("u1");
    }

    @Test
    void endpointDown_lastGoodSetKeepsWorking_failureLoggedOnce() throws Exception {
        long[] clock = {0};
        jwks = new JwksServer().publish(List.of(rsa));
        JwtVerifier verifier = new JwtVerifier(new JwksKeys(jwks.url(), Duration.ofSeconds(10), Duration.ofSeconds(1),
                () -> clock[0]), JwtAlgorithms.perKey(), JwtRules.NONE);
        String token = TestKeys.token(rsa, JWSAlgorithm.RS256, GRANT);
        verifier.verify(token, now());
        jwks.mode(JwksServer.Mode.FAIL);
        try (CapturedLogs logs = new CapturedLogs()) {
            for (int i = 1; i <= 3; i++) {
                clock[0] = Duration.ofSeconds(20L * i).toNanos(); // expired each time: a fetch is tried
                assertThat(verifier.verify(token, now()).subject()).isEqualTo("u1");
            }
            assertThat(jwks.requests()).isEqualTo(4);
            assertThat(logs.count("jwks fetch failed")).isEqualTo(1);
            jwks.mode(JwksServer.Mode.SERVE);
            clock[0] = Duration.ofSeconds(100).toNanos();
            verifier.verify(token, now());
            assertThat(logs.count("jwks keys loaded")).isEqualTo(1);
        }
    }

    @Test
    void neverFetched_refusesWithAClearReason_andFetchesAreBoundedInTimeAndSize() throws Exception {
        jwks = new JwksServer().publish(List.of(rsa));
        String token = TestKeys.token(rsa, JWSAlgorithm.RS256, GRANT);
        for (JwksServer.Mode mode : List.of(JwksServer.Mode.FAIL, JwksServer.Mode.HANG, JwksServer.Mode.HUGE)) {
            jwks.mode(mode);
            JwtVerifier verifier = new JwtVerifier(new JwksKeys(jwks.url(), LONG, LONG), JwtAlgorithms.perKey(),
                    JwtRules.NONE);
            long started = System.nanoTime();
            assertRefused(verifier, token, "signing keys unavailable");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as(mode.name()).isLessThan(Duration.ofSeconds(6));
        }
    }

    @Test
    void aResponseThatNeverEndsIsCutAtTheFetchDeadline() throws Exception {
        // one byte every 200 ms: no single read ever waits 2 s, so only a deadline on the whole fetch ends it
        jwks = new JwksServer().publish(List.of(rsa)).mode(JwksServer.Mode.TRICKLE);
        JwtVerifier verifier = new JwtVerifier(new JwksKeys(jwks.url(), LONG, LONG), JwtAlgorithms.perKey(),
                JwtRules.NONE);
        long started = System.nanoTime();
        assertRefused(verifier, TestKeys.token(rsa, JWSAlgorithm.RS256, GRANT), "signing keys unavailable");
        // the whole fetch is cut after 5 s (a read then in progress may add its 2 s); the trickle itself lasts 30 s
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void aRedirectIsFollowedOnlyToHttpsOrTheConfiguredHost() throws Exception {
        RSAKey forged = TestKeys.rsa(rsa.getKeyID()); // someone else's key under the same kid
        try (JwksServer elsewhere = new JwksServer().publish(List.of(forged))) {
            // the loopback endpoint redirects to another host in clear text; that host is a loopback server reached as
            // this JVM's HTTP proxy (loopback destinations bypass it), so nothing leaves the machine
            jwks = new JwksServer().redirectTo("http://jwks.example.com/.well-known/jwks.json");
            String oldHost = System.getProperty("http.proxyHost");
            String oldPort = System.getProperty("http.proxyPort");
            System.setProperty("http.proxyHost", "127.0.0.1");
            System.setProperty("http.proxyPort", String.valueOf(elsewhere.url().getPort()));
            try {
                JwtVerifier verifier = new JwtVerifier(new JwksKeys(jwks.url(), LONG, LONG), JwtAlgorithms.perKey(),
                        JwtRules.NONE);
                assertRefused(verifier, TestKeys.token(forged, JWSAlgorithm.RS256, GRANT), "signing keys unavailable");
            } finally {
                restore("http.proxyHost", oldHost);
                restore("http.proxyPort", oldPort);
            }
            assertThat(elsewhere.requests()).isZero();

            // on the configured host itself (another port of 127.0.0.1) a redirect is followed
            elsewhere.publish(List.of(rsa));
            jwks.redirectTo(elsewhere.url().toString());
            JwtVerifier verifier = new JwtVerifier(new JwksKeys(jwks.url(), LONG, LONG), JwtAlgorithms.perKey(),
                    JwtRules.NONE);
            assertThat(verifier.verify(TestKeys.token(rsa, JWSAlgorithm.RS256, GRANT), now()).subject()).isEqualTo("u1");
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @Test
    void secretAndEncryptionKeysInTheSetAreNotUsed() throws Exception {
        OctetSequenceKey secret = new OctetSequenceKey.Builder("a-shared-secret-of-at-least-32-bytes!!"
                .getBytes(StandardCharsets.UTF_8)).keyID("oct-1").build();
        RSAKey encryption = new RSAKey.Builder(TestKeys.rsa("enc-1")).keyUse(KeyUse.ENCRYPTION).build();
        jwks = new JwksServer().publishRaw(new JWKSet(List.<JWK>of(rsa.toPublicJWK(), secret, encryption.toPublicJWK()))
                .toString(false));
        JwtVerifier verifier = new JwtVerifier(new JwksKeys(jwks.url(), LONG, LONG), JwtAlgorithms.perKey(),
                JwtRules.NONE);
        assertThat(verifier.verify(TestKeys.token(rsa, JWSAlgorithm.RS256, GRANT), now()).subject()).isEqualTo("u1");
        assertRefused(verifier, TestKeys.token(encryption, JWSAlgorithm.RS256, GRANT), "unexpected algorithm");
        assertRefused(verifier, TestKeys.token(secret, JWSAlgorithm.HS256, GRANT), "unexpected algorithm");
        // even with HS256 allowed, the published secret is not a key: anyone could read it
        JwtVerifier hmac = new JwtVerifier(new JwksKeys(jwks.url(), LONG, LONG),
                JwtAlgorithms.pinned(Set.of(JWSAlgorithm.HS256)), JwtRules.NONE);
        assertRefused(hmac, TestKeys.token(secret, JWSAlgorithm.HS256, GRANT), "unknown signing key");
    }

    private static void assertRefused(JwtVerifier verifier, String token, String reason) {
        assertThatThrownBy(() -> verifier.verify(token, now()))
                .isInstanceOf(JwtVerifier.InvalidTokenException.class).hasMessage(reason);
    }
}
