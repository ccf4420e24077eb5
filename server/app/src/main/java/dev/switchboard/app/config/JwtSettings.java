package dev.switchboard.app.config;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;

import dev.switchboard.app.credentials.JwksKeys;
import dev.switchboard.app.credentials.JwtAlgorithms;
import dev.switchboard.app.credentials.JwtKeys;
import dev.switchboard.app.credentials.JwtRules;
import dev.switchboard.app.credentials.JwtVerifier;
import dev.switchboard.app.credentials.PemKeys;
import dev.switchboard.app.credentials.StaticJwtKey;

/**
 * The JWT key (one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL) and the pinned algorithms (JWT_ALGORITHMS, by
 * default derived from the key: HS256 for a secret, RS256 / ES256|384|512 / EdDSA for an RSA / EC / Ed25519 PEM,
 * and for a JWKS the algorithm each key names).
 */
final class JwtSettings {
    static final int MIN_JWT_SECRET_BYTES = 32;
    static final long DEFAULT_JWKS_CACHE_MS = 300_000;
    static final long DEFAULT_JWKS_MIN_REFRESH_MS = 30_000;

    private JwtSettings() {
    }

    /** Null when no key is configured. */
    static JwtVerifier parse(ConfigParser p, JwtRules rules) {
        String secret = p.optional("JWT_SECRET");
        String publicKey = p.optional("JWT_PUBLIC_KEY");
        String jwksUrl = p.optional("JWT_JWKS_URL");
        int configured = (secret != null ? 1 : 0) + (publicKey != null ? 1 : 0) + (jwksUrl != null ? 1 : 0);
        if (configured > 1) {
            throw new ConfigException(jwksUrl != null ? "JWT_JWKS_URL" : "JWT_PUBLIC_KEY",
                    "set one of JWT_SECRET (HS256), JWT_PUBLIC_KEY (a PEM key) or JWT_JWKS_URL, not several");
        }
        // read whatever else is set, so the one list of variables (ConfigVariables) holds them all
        Duration cacheFor = p.millis("JWT_JWKS_CACHE_MS", DEFAULT_JWKS_CACHE_MS, 1000);
        Duration minRefresh = p.millis("JWT_JWKS_MIN_REFRESH_MS", DEFAULT_JWKS_MIN_REFRESH_MS, 100);
        List<String> names = p.list("JWT_ALGORITHMS");
        Set<JWSAlgorithm> listed = null;
        if (names != null) {
            try {
                listed = JwtAlgorithms.parse(names);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("JWT_ALGORITHMS", e.getMessage());
            }
        }
        if (configured == 0) {
            if (listed != null) {
                throw new ConfigException("JWT_ALGORITHMS", "is set, but none of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL is");
            }
            return null;
        }
        if (jwksUrl != null) {
            return jwks(jwksUrl, listed, rules, cacheFor, minRefresh);
        }
        JWK key = secret != null ? secretKey(secret) : publicKey(publicKey);
        Set<JWSAlgorithm> algorithms = listed != null ? listed : Set.of(JwtAlgorithms.usualFor(key));
        for (JWSAlgorithm algorithm : algorithms) {
            if (!JwtAlgorithms.fits(algorithm, key)) {
                throw new ConfigException("JWT_ALGORITHMS", algorithm.getName() + " does not fit the key of "
                        + (secret != null ? "JWT_SECRET" : "JWT_PUBLIC_KEY") + " (" + key.getKeyType().getValue() + ")");
            }
        }
        return new JwtVerifier(new StaticJwtKey(key), JwtAlgorithms.pinned(algorithms), rules);
    }

    private static JWK secretKey(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_JWT_SECRET_BYTES) {
            throw new ConfigException("JWT_SECRET", "must be at least " + MIN_JWT_SECRET_BYTES + " bytes for HS256");
        }
        return new OctetSequenceKey.Builder(bytes).build();
    }

    private static JWK publicKey(String pemOrPath) {
        try {
            PublicKey key = PemKeys.readPublicKey(pemOrPath);
            return PemKeys.toJwk(key);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("JWT_PUBLIC_KEY", e.getMessage());
        }
    }

    private static JwtVerifier jwks(String value, Set<JWSAlgorithm> listed, JwtRules rules, Duration cacheFor,
                                    Duration minRefresh) {
        URL url = jwksUrl(value);
        if (listed != null) {
            for (JWSAlgorithm algorithm : listed) {
                if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) {
                    throw new ConfigException("JWT_ALGORITHMS", algorithm.getName()
                            + " needs a shared secret (JWT_SECRET), not a public JWKS");
                }
            }
        }
        JwtKeys keys = new JwksKeys(url, cacheFor, minRefresh);
        return new JwtVerifier(keys, listed != null ? JwtAlgorithms.pinned(listed) : JwtAlgorithms.perKey(), rules);
    }

    /** https, or http to a loopback host only (the keys decide who gets in: they must not travel in clear). */
    private static URL jwksUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                throw new ConfigException("JWT_JWKS_URL", "must be an https:// URL, got '" + value + "'");
            }
            if (scheme.equals("http") && !ConfigParser.isLoopback(uri.getHost())) {
                throw new ConfigException("JWT_JWKS_URL", "must use https:// (http:// only to a loopback host), got '"
                        + value + "'");
            }
            return uri.toURL();
        } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
            throw new ConfigException("JWT_JWKS_URL", "is not a URL: '" + value + "'");
        }
    }
}
