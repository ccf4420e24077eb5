package dev.switchboard.app.credentials;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.socketio.RoomAccess;
import dev.switchboard.socketio.RoomPattern;

/**
 * Verifies compact JWS tokens with exactly one algorithm: HS256 (JWT_SECRET) or RS256 (JWT_PUBLIC_KEY).
 * The header's {@code alg} must equal the configured one ("none" and algorithm switching are refused);
 * {@code exp} and {@code nbf} are enforced when present, with {@link #LEEWAY_SECONDS} of clock skew; issuer,
 * audience and a required {@code exp} come from {@link JwtRules}.
 */
public final class JwtVerifier {
    static final long LEEWAY_SECONDS = 30;
    private static final int MAX_TOKEN_LENGTH = 8192;
    private static final int MAX_ROOM_PATTERNS = 64;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

    private final String algorithm;
    private final byte[] hmacSecret;
    private final PublicKey rsaKey;
    private final JwtRules rules;

    private JwtVerifier(String algorithm, byte[] hmacSecret, PublicKey rsaKey, JwtRules rules) {
        this.algorithm = algorithm;
        this.hmacSecret = hmacSecret;
        this.rsaKey = rsaKey;
        this.rules = rules;
    }

    public static JwtVerifier hs256(byte[] secret) {
        return new JwtVerifier("HS256", secret.clone(), null, JwtRules.NONE);
    }

    public static JwtVerifier rs256(PublicKey key) {
        return new JwtVerifier("RS256", null, key, JwtRules.NONE);
    }

    /** This verifier, also requiring what {@code rules} say. */
    public JwtVerifier requiring(JwtRules rules) {
        return new JwtVerifier(algorithm, hmacSecret, rsaKey, rules);
    }

    public JwtRules rules() {
        return rules;
    }

    public String algorithm() {
        return algorithm;
    }

    /** Verifies {@code token} at {@code nowEpochSeconds}; the exception's message says why it was refused. */
    public JwtClaims verify(String token, long nowEpochSeconds) throws InvalidTokenException {
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
        if (!algorithm.equals(header.path("alg").asText(null))) {
            throw new InvalidTokenException("unexpected algorithm");
        }
        if (header.has("crit")) {
            throw new InvalidTokenException("unsupported critical header");
        }
        byte[] signed = token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = decode(token.substring(secondDot + 1));
        if (!signatureValid(signed, signature)) {
            throw new InvalidTokenException("bad signature");
        }
        JsonNode claims = json(token.substring(firstDot + 1, secondDot));
        JsonNode exp = claims.get("exp");
        if (exp == null && rules.requireExp()) {
            throw new InvalidTokenException("token has no expiry");
        }
        if (exp != null && (!exp.isNumber() || nowEpochSeconds > exp.asLong() + LEEWAY_SECONDS)) {
            throw new InvalidTokenException("token expired");
        }
        JsonNode nbf = claims.get("nbf");
        if (nbf != null && (!nbf.isNumber() || nowEpochSeconds + LEEWAY_SECONDS < nbf.asLong())) {
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

    private boolean signatureValid(byte[] signed, byte[] signature) throws InvalidTokenException {
        try {
            if (hmacSecret != null) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(hmacSecret, "HmacSHA256"));
                return MessageDigest.isEqual(mac.doFinal(signed), signature);
            }
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(rsaKey);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new InvalidTokenException("bad signature");
        }
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
