package dev.switchboard.app.credentials;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The AUTH_TOKENS entries, found by the SHA-256 of a presented token (the secret itself is never compared). */
public final class StaticTokens {
    private final Map<ByteBuffer, StaticToken> byDigest = new HashMap<>();

    public StaticTokens(List<StaticToken> tokens) {
        for (StaticToken token : tokens) {
            byDigest.put(digest(token.token()), token);
        }
    }

    /** The entry {@code token} is, or null. */
    public StaticToken find(String token) {
        return byDigest.get(digest(token));
    }

    private static ByteBuffer digest(String token) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
