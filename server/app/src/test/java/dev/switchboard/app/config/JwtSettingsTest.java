package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;

import dev.switchboard.app.credentials.JwtVerifier;
import dev.switchboard.app.credentials.TestKeys;

/** JWT_SECRET / JWT_PUBLIC_KEY / JWT_JWKS_URL and JWT_ALGORITHMS: what each key type accepts, what is refused. */
class JwtSettingsTest {
    private static final Map<String, Object> GRANT = Map.of("sub", "u1", "namespaces", List.of("*"));

    @Test
    void pemKeyTypeGivesTheDefaultAlgorithm_ecAndEd25519Included() throws Exception {
        JWK ec = TestKeys.ec("ec");
        JwtVerifier esVerifier = config(Map.of("JWT_PUBLIC_KEY", pem(ec))).jwt();
        assertThat(esVerifier.algorithm()).isEqualTo("ES256");
        assertThat(esVerifier.verify(TestKeys.token(ec, JWSAlgorithm.ES256, GRANT), now()).subject()).isEqualTo("u1");

        JWK ed = TestKeys.ed25519("ed");
        JwtVerifier edVerifier = config(Map.of("JWT_PUBLIC_KEY", pem(ed))).jwt();
        assertThat(edVerifier.algorithm()).isEqualTo("EdDSA");
        assertThat(edVerifier.verify(TestKeys.token(ed, JWSAlgorithm.EdDSA, GRANT), now()).subject()).isEqualTo("u1");

        JWK rsa = TestKeys.rsa("rsa");
        assertThat(config(Map.of("JWT_PUBLIC_KEY", pem(rsa))).jwt().algorithm()).isEqualTo("RS256");
        assertThat(config(Map.of("JWT_SECRET", "s".repeat(32))).jwt().algorithm()).isEqualTo("HS256");
    }

    @Test
    void jwtAlgorithmsPinsAListThatMustFitTheKey() throws Exception {
        JWK rsa = TestKeys.rsa("rsa");
        JwtVerifier both = config(Map.of("JWT_PUBLIC_KEY", pem(rsa), "JWT_ALGORITHMS", "RS256, PS256")).jwt();
        assertThat(both.verify(TestKeys.token(rsa, JWSAlgorithm.PS256, GRANT), now()).subject()).isEqualTo("u1");
        JwtVerifier psOnly = config(Map.of("JWT_PUBLIC_KEY", pem(rsa), "JWT_ALGORITHMS", "PS256")).jwt();
        assertThatThrownBy(() -> psOnly.verify(TestKeys.token(rsa, JWSAlgorithm.RS256, GRANT), now()))
                .hasMessage("unexpected algorithm");

        assertRefused(Map.of("JWT_PUBLIC_KEY", pem(rsa), "JWT_ALGORITHMS", "HS256"), "JWT_ALGORITHMS");
        assertRefused(Map.of("JWT_PUBLIC_KEY", pem(rsa), "JWT_ALGORITHMS", "ES256"), "JWT_ALGORITHMS");
        assertRefused(Map.of("JWT_SECRET", "s".repeat(32), "JWT_ALGORITHMS", "RS256"), "JWT_ALGORITHMS");
        assertRefused(Map.of("JWT_SECRET", "s".repeat(32), "JWT_ALGORITHMS", "none"), "JWT_ALGORITHMS");
        assertRefused(Map.of("JWT_SECRET", "s".repeat(32), "JWT_ALGORITHMS", ","), "JWT_ALGORITHMS");
        assertRefused(Map.of("JWT_ALGORITHMS", "RS256"), "JWT_ALGORITHMS");
        assertRefused(Map.of("JWT_JWKS_URL", "https://auth.example/.well-known/jwks.json", "JWT_ALGORITHMS", "HS256"),
                "JWT_ALGORITHMS");
    }

    @Test
    void jwksUrlMustBeHttpsOrLoopbackHttp_andExcludesTheOtherKeys() {
        JwtVerifier verifier = config(Map.of("JWT_JWKS_URL", "https://tenant.auth.example/.well-known/jwks.json")).jwt();
        assertThat(verifier.algorithm()).isEqualTo("per-key");
        assertThat(verifier.keySource()).isEqualTo("jwks https://tenant.auth.example/.well-known/jwks.json");
        assertThat(config(Map.of("JWT_JWKS_URL", "http://127.0.0.1:9/jwks.json", "JWT_ALGORITHMS", "ES256,EdDSA"))
                .jwt().algorithm()).isEqualTo("ES256,EdDSA");

        assertRefused(Map.of("JWT_JWKS_URL", "http://auth.example/jwks.json"), "JWT_JWKS_URL");
        assertRefused(Map.of("JWT_JWKS_URL", "ftp://127.0.0.1/jwks.json"), "JWT_JWKS_URL");
        assertRefused(Map.of("JWT_JWKS_URL", "not a url"), "JWT_JWKS_URL");
        assertRefused(Map.of("JWT_JWKS_URL", "https://a.example/j", "JWT_SECRET", "s".repeat(32)), "JWT_JWKS_URL");
        assertRefused(Map.of("JWT_JWKS_URL", "https://a.example/j", "JWT_JWKS_CACHE_MS", "10"), "JWT_JWKS_CACHE_MS");
        assertRefused(Map.of("JWT_JWKS_URL", "https://a.example/j", "JWT_JWKS_MIN_REFRESH_MS", "x"),
                "JWT_JWKS_MIN_REFRESH_MS");
        assertRefused(Map.of("JWT_ISSUER", "https://auth.example"), "JWT_ISSUER");
    }

    private static SwitchboardConfig config(Map<String, String> env) {
        return SwitchboardConfig.fromEnvironment(env);
    }

    private static void assertRefused(Map<String, String> env, String variable) {
        assertThatThrownBy(() -> SwitchboardConfig.fromEnvironment(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(variable + ": ")
                .satisfies(e -> assertThat(((ConfigException) e).variable()).isEqualTo(variable));
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** X.509 SubjectPublicKeyInfo of an Ed25519 key: the fixed RFC 8410 prefix, then the 32 key bytes. */
    private static byte[] ed25519Der(byte[] x) {
        byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
        byte[] der = java.util.Arrays.copyOf(prefix, prefix.length + x.length);
        System.arraycopy(x, 0, der, prefix.length, x.length);
        return der;
    }

    static String pem(JWK key) throws JOSEException {
        byte[] der = key instanceof OctetKeyPair okp ? ed25519Der(okp.getDecodedX())
                : ((AsymmetricJWK) key).toPublicKey().getEncoded();
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
    }
}
