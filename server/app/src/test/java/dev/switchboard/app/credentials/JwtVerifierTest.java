package dev.switchboard.app.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JwtVerifierTest {
    private static final byte[] SECRET = "an-hs256-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_800_000_000L;

    private final JwtVerifier hs = JwtVerifier.hs256(SECRET);

    @Test
    void acceptsAValidHs256Token() throws Exception {
        String token = TestJwt.hs256(SECRET, Map.of("sub", "u1", "namespaces", List.of("/services"), "exp", NOW + 60));
        JwtClaims claims = hs.verify(token, NOW);
        assertThat(claims.subject()).isEqualTo("u1");
        assertThat(claims.grants("/services")).isTrue();
        assertThat(claims.grants("/files")).isFalse();
    }

    @Test
    void wildcardGrantsEveryNamespace() throws Exception {
        JwtClaims claims = hs.verify(TestJwt.hs256(SECRET, Map.of("namespaces", List.of("*"))), NOW);
        assertThat(claims.grants("/deployments")).isTrue();
    }

    @Test
    void noNamespacesClaimGrantsNothing() throws Exception {
        assertThat(hs.verify(TestJwt.hs256(SECRET, Map.of("sub", "u")), NOW).grants("/system")).isFalse();
    }

    @Test
    void refusesWrongSignatureExpiryAndFormat() {
        String otherKey = TestJwt.hs256("another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8), Map.of());
        assertRefused(otherKey, "bad signature");
        assertRefused(TestJwt.hs256(SECRET, Map.of("exp", NOW - 31)), "token expired");
        assertRefused(TestJwt.hs256(SECRET, Map.of("nbf", NOW + 31)), "token not yet valid");
        assertRefused("abc", "malformed token");
        assertRefused("a.b", "malformed token");
        assertRefused("a.b.c.d", "malformed token");
        assertRefused("!!!.???.***", "malformed token");
        assertRefused("x".repeat(9000), "token too long");
    }

    @Test
    void expiryAndNotBeforeAreComparedAsNumbersWhateverTheirSize_claimsOfOtherTypesAreRefused() throws Exception {
        // 2^64 + 100 read as a long is 100: a far-future nbf became one long past, a far-future exp one long expired
        BigInteger wrapsTo100 = BigInteger.TWO.pow(64).add(BigInteger.valueOf(100));
        for (Object farFuture : List.of(1e300, Long.MAX_VALUE, wrapsTo100)) {
            assertThat(hs.verify(TestJwt.hs256(SECRET, Map.of("sub", "u", "exp", farFuture)), NOW).subject())
                    .as("exp %s", farFuture).isEqualTo("u");
            assertRefused(TestJwt.hs256(SECRET, Map.of("nbf", farFuture)), "token not yet valid");
        }
        for (Object longPast : List.of(-1e300, Long.MIN_VALUE, BigInteger.TWO.pow(64).negate())) {
            assertRefused(TestJwt.hs256(SECRET, Map.of("exp", longPast)), "token expired");
            assertThat(hs.verify(TestJwt.hs256(SECRET, Map.of("sub", "u", "nbf", longPast)), NOW).subject()).isEqualTo("u");
        }
        for (Object notANumber : List.of(String.valueOf(NOW + 60), List.of(NOW + 60), Map.of("at", NOW + 60), true)) {
            assertRefused(TestJwt.hs256(SECRET, Map.of("exp", notANumber)), "token expired");
            assertRefused(TestJwt.hs256(SECRET, Map.of("nbf", notANumber)), "token not yet valid");
        }
    }

    @Test
    void refusesAlgNoneAndAlgorithmSwitch() throws Exception {
        String payload = b64("{\"namespaces\":[\"*\"]}");
        assertRefused(b64("{\"alg\":\"none\"}") + "." + payload + ".", "malformed token");
        assertRefused(b64("{\"alg\":\"none\"}") + "." + payload + ".AAAA", "unexpected algorithm");
        KeyPair pair = TestJwt.rsaKeyPair();
        String rs = TestJwt.rs256(pair.getPrivate(), Map.of("namespaces", List.of("*")));
        assertRefused(rs, "unexpected algorithm");
        JwtVerifier rsVerifier = JwtVerifier.rs256(pair.getPublic());
        assertThat(rsVerifier.verify(rs, NOW).grants("/x")).isTrue();
        // an HS256 token signed with the public key's bytes must not pass an RS256 verifier
        String confused = TestJwt.hs256(pair.getPublic().getEncoded(), Map.of("namespaces", List.of("*")));
        assertThatThrownBy(() -> rsVerifier.verify(confused, NOW)).hasMessage("unexpected algorithm");
    }

    @Test
    void rulesRequireIssuerAudienceAndExpiry() throws Exception {
        JwtVerifier strict = hs.requiring(new JwtRules("https://auth.example", "switchboard", true));
        Map<String, Object> valid = Map.of("sub", "u1", "iss", "https://auth.example",
                "aud", List.of("billing", "switchboard"), "exp", NOW + 60);
        assertThat(strict.verify(TestJwt.hs256(SECRET, valid), NOW).subject()).isEqualTo("u1");
        assertThat(strict.verify(TestJwt.hs256(SECRET, with(valid, "aud", "switchboard")), NOW).subject()).isEqualTo("u1");

        assertStrictRefused(strict, without(valid, "exp"), "token has no expiry");
        assertStrictRefused(strict, with(valid, "iss", "https://other.example"), "wrong issuer");
        assertStrictRefused(strict, without(valid, "iss"), "wrong issuer");
        assertStrictRefused(strict, with(valid, "iss", 7), "wrong issuer");
        assertStrictRefused(strict, with(valid, "aud", "billing"), "wrong audience");
        assertStrictRefused(strict, with(valid, "aud", List.of("billing")), "wrong audience");
        assertStrictRefused(strict, without(valid, "aud"), "wrong audience");
        // without rules the same tokens pass: the checks are opt-in
        assertThat(hs.verify(TestJwt.hs256(SECRET, without(without(valid, "exp"), "iss")), NOW).subject()).isEqualTo("u1");
    }

    private static void assertStrictRefused(JwtVerifier strict, Map<String, Object> claims, String reason) {
        assertThatThrownBy(() -> strict.verify(TestJwt.hs256(SECRET, claims), NOW))
                .isInstanceOf(JwtVerifier.InvalidTokenException.class).hasMessage(reason);
    }

    private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(claims);
        copy.put(name, value);
        return copy;
    }

    private static Map<String, Object> without(Map<String, Object> claims, String name) {
        Map<String, Object> copy = new java.util.HashMap<>(claims);
        copy.remove(name);
        return copy;
    }

    @Test
    void rs256WrongKeyIsRefused() throws Exception {
        String token = TestJwt.rs256(TestJwt.rsaKeyPair().getPrivate(), Map.of("namespaces", List.of("*")));
        JwtVerifier other = JwtVerifier.rs256(TestJwt.rsaKeyPair().getPublic());
        assertThatThrownBy(() -> other.verify(token, NOW)).hasMessage("bad signature");
    }

    @Test
    void pemPublicKeyIsRead() throws Exception {
        KeyPair pair = TestJwt.rsaKeyPair();
        String pem = TestJwt.pem(pair.getPublic());
        assertThat(PemKeys.readPublicKey(pem)).isEqualTo(pair.getPublic());
    }

    private void assertRefused(String token, String reason) {
        assertThatThrownBy(() -> hs.verify(token, NOW))
                .isInstanceOf(JwtVerifier.InvalidTokenException.class).hasMessage(reason);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
