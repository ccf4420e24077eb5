package dev.switchboard.emitapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks {@code Authorization: Bearer <token>} in constant time: both sides are hashed first, so neither the
 * token's content nor its length leaks through timing.
 */
public final class BearerAuth {
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

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
