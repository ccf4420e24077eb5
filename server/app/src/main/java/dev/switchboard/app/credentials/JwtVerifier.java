package dev.switchboard.app.credentials;

import java.security.PublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;

import dev.switchboard.socketio.RoomAccess;
import dev.switchboard.socketio.RoomPattern;

/**
 * Verifies compact JWS tokens with nimbus-jose-jwt against {@link JwtKeys} (JWT_SECRET, JWT_PUBLIC_KEY or
 * JWT_JWKS_URL). The header's {@code alg} must be one {@link JwtAlgorithms} accepts for the key ("none" and
 * algorithm switching are refused), {@code crit} is refused; {@code exp} and {@code nbf} are enforced when present,
 * with {@link #LEEWAY_SECONDS} of clock skew; issuer, audience and a required {@code exp} come from {@link JwtRules}.
 */
public final class JwtVerifier {
    static final long LEEWAY_SECONDS = 30;
    private static final int MAX_TOKEN_LENGTH = 8192;
    private static final int MAX_ROOM_PATTERNS = 64;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

    private final JwtKeys keys;
    private final JwtAlgorithms algorithms;
    private final JwtRules rules;

    public JwtVerifier(JwtKeys keys, JwtAlgorithms algorithms, JwtRules rules) {
        this.keys = keys;
        this.algorithms = algorithms;
        this.rules = rules;
    }

    public static JwtVerifier hs256(byte[] secret) {
        return new JwtVerifier(new StaticJwtKey(new OctetSequenceKey.Builder(secret.clone()).build()),
                JwtAlgorithms.pinned(Set.of(JWSAlgorithm.HS256)), JwtRules.NONE);
    }

    public static JwtVerifier rs256(PublicKey key) {
        return new JwtVerifier(new StaticJwtKey(PemKeys.toJwk(key)), JwtAlgorithms.pinned(Set.of(JWSAlgorithm.RS256)),
                JwtRules.NONE);
    }

    /** This verifier, also requiring what {@code rules} say. */
    public JwtVerifier requiring(JwtRules rules) {
        return new JwtVerifier(keys, algorithms, rules);
    }

    public JwtRules rules() {
        return rules;
    }

    /** The accepted algorithms ("HS256", "RS256,PS256", or "per-key" for a JWKS without JWT_ALGORITHMS). */
    public String algorithm() {
        return algorithms.toString();
    }

    /** Where the keys come from, for the start-up log line. */
    public String keySource() {
        return keys.describe();
    }

    /** Verifies {@code token} at {@code nowEpochSeconds}; the exception's message says why it was refused. */
    public JwtClaims verify(String token, long nowEpochSeconds) throws InvalidTokenException {
        return verify(token, nowEpochSeconds, true);
    }

    /**
     * As {@link #verify(String, long)}, for a thread that must not wait for the network (a Netty I/O thread): a due
     * JWKS fetch runs in the background and the token is checked against the keys at hand.
     */
    public JwtClaims verifyWithoutBlocking(String token, long nowEpochSeconds) throws InvalidTokenException {
        return verify(token, nowEpochSeconds, false);
    }

    /** Starts loading the keys in the background (a JWKS), so a first non-blocking check finds them. */
    public void warmUp() {
        keys.warmUp();
    }

    private JwtClaims verify(String token, long nowEpochSeconds, boolean mayBlock) throws InvalidTokenException {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("token too long");
        }
        int firstDot = token.indexOf('.');
        int secondDot = token.indexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot < 0 || secondDot == firstDot + 1 || token.indexOf('.', secondDot + 1) >= 0
                || secondDot == token.length() - 1) {
            throw new InvalidTokenException("malformed token");
        }
        JsonNode header = json(token.substring(0, firstDot));
        String alg = header.path("alg").asText(null);
        if (alg == null || !algorithms.mayAccept(JWSAlgorithm.parse(alg))) {
            throw new InvalidTokenException("unexpected algorithm");
        }
        if (header.has("crit")) {
            throw new InvalidTokenException("unsupported critical header");
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(token);
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed token");
        }
        checkSignature(jws, mayBlock);
        JsonNode claims = json(token.substring(firstDot + 1, secondDot));
        JsonNode exp = claims.get("exp");
        if (exp == null && rules.requireExp()) {
            throw new InvalidTokenException("token has no expiry");
        }
        // compared as doubles, as Node's jsonwebtoken does: as a long, 1e300 saturated (+ leeway overflowed) and
        // 2^64 + 100 wrapped to 100 (a far-future nbf long past)
        if (exp != null && (!exp.isNumber() || nowEpochSeconds > exp.asDouble() + LEEWAY_SECONDS)) {
            throw new InvalidTokenException("token expired");
        }
        JsonNode nbf = claims.get("nbf");
        if (nbf != null && (!nbf.isNumber() || nowEpochSeconds + LEEWAY_SECONDS < nbf.asDouble())) {
            throw new InvalidTokenException("token not yet valid");
        }
        if (rules.issuer() != null && !rules.issuer().equals(text(claims.get("iss")))) {
            throw new InvalidTokenException("wrong issuer");
        }
        if (rules.audience() != null && !holds(claims.get("aud"), rules.audience())) {
            throw new InvalidTokenException("wrong audience");
        }
        JsonNode sub = claims.get("sub");
        return new JwtClaims(sub != null && sub.isTextual() ? sub.textValue() : null, namespaces(claims.get("namespaces")),
                rooms(claims.get("rooms")));
    }

    /** Passes when one candidate key that the algorithm rules allow verifies the signature. */
    private void checkSignature(JWSObject jws, boolean mayBlock) throws InvalidTokenException {
        JWSAlgorithm alg = jws.getHeader().getAlgorithm();
        boolean anyAllowed = false;
        for (JWK key : keys.candidates(jws.getHeader(), mayBlock)) {
            if (!algorithms.allows(alg, key)) {
                continue;
            }
            anyAllowed = true;
            try {
                if (jws.verify(verifierFor(key))) {
                    return;
                }
            } catch (JOSEException | IllegalStateException e) {
                // a key nimbus cannot use for this token: not a valid signature
            }
        }
        throw new InvalidTokenException(anyAllowed ? "bad signature" : "unexpected algorithm");
    }

    private static JWSVerifier verifierFor(JWK key) throws JOSEException {
        if (key instanceof RSAKey rsa) {
            return new RSASSAVerifier(rsa);
        }
        if (key instanceof ECKey ec) {
            return new ECDSAVerifier(ec);
        }
        if (key instanceof OctetKeyPair okp) {
            return new Ed25519Verifier(okp);
        }
        if (key instanceof OctetSequenceKey secret) {
            return new MACVerifier(secret);
        }
        throw new JOSEException("unsupported key type " + key.getKeyType());
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /** RFC 7519: {@code aud} is one string or an array of them. */
    private static boolean holds(JsonNode aud, String audience) {
        if (aud != null && aud.isArray()) {
            for (JsonNode element : aud) {
                if (audience.equals(text(element))) {
                    return true;
                }
            }
            return false;
        }
        return audience.equals(text(aud));
    }

    /** The {@code rooms} claim: an array of room patterns ({@code glob} or {@code glob@/ns1|/ns2}); null when absent. */
    private static List<RoomPattern> rooms(JsonNode claim) throws InvalidTokenException {
        if (claim == null || claim.isNull()) {
            return null;
        }
        if (!claim.isArray() || claim.size() > MAX_ROOM_PATTERNS) {
            throw new InvalidTokenException("rooms claim must be an array of at most " + MAX_ROOM_PATTERNS + " room patterns");
        }
        List<String> entries = new ArrayList<>();
        for (JsonNode element : claim) {
            if (!element.isTextual()) {
                throw new InvalidTokenException("rooms claim must hold strings");
            }
            entries.add(element.textValue());
        }
        try {
            return List.copyOf(RoomAccess.parsePatterns(entries));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("rooms claim: " + e.getMessage());
        }
    }

    private static Set<String> namespaces(JsonNode claim) {
        Set<String> namespaces = new LinkedHashSet<>();
        if (claim != null && claim.isTextual()) {
            namespaces.add(claim.textValue());
        } else if (claim != null && claim.isArray()) {
            for (JsonNode element : claim) {
                if (element.isTextual()) {
                    namespaces.add(element.textValue());
                }
            }
        }
        return Set.copyOf(namespaces);
    }

    private static JsonNode json(String part) throws InvalidTokenException {
        try {
            JsonNode node = MAPPER.readTree(decode(part));
            if (node == null || !node.isObject()) {
                throw new InvalidTokenException("malformed token");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new InvalidTokenException("malformed token");
        }
    }

    private static byte[] decode(String part) throws InvalidTokenException {
        try {
            return B64URL.decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("malformed token");
        }
    }

    /** A refused token; the message is safe to log and to send to the client (it never holds the token). */
    public static final class InvalidTokenException extends Exception {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }
}
