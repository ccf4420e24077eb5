package dev.switchboard.emitapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The one bearer check of the HTTP API ({@code POST /emit} and {@code /emit/batch} on either port, {@code GET /stats}):
 * checks {@code Authorization: Bearer <token>} in constant time (both sides are hashed first, so neither the
 * token's content nor its length leaks through timing) and makes the one 401 answer.
 */
public final class BearerAuth {
    /** The {@code WWW-Authenticate} value sent with a 401. */
    public static final String CHALLENGE = "Bearer";
    private static final String PREFIX = "Bearer ";

    private final byte[] expectedDigest;

    /** @param token the required token, or null when none is required */
    public BearerAuth(String token) {
        this.expectedDigest = token == null ? null : sha256(token);
    }

    public boolean required() {
        return expectedDigest != null;
    }

    public boolean permits(String authorizationHeader) {
        if (expectedDigest == null) {
            return true;
        }
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        String presented = authorizationHeader.substring(PREFIX.length()).trim();
        return MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    /** The refusal of a request with this {@code Authorization} header, or null when it passes. */
    public ApiException refusal(String authorizationHeader) {
        return permits(authorizationHeader) ? null : unauthorized();
    }

    /** 401 UNAUTHORIZED, answered with {@code WWW-Authenticate: }{@value #CHALLENGE}. */
    public static ApiException unauthorized() {
        return new ApiException(401, "UNAUTHORIZED", "missing or wrong bearer token");
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
