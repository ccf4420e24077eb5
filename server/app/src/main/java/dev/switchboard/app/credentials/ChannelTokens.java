package dev.switchboard.app;

import dev.switchboard.channels.ChannelAuthenticator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/** The plain channels' {@code auth} token check: the same AUTH_TOKENS and JWT settings as Socket.IO handshakes. */
final class ChannelTokens implements ChannelAuthenticator {
    private final Map<ByteBuffer, StaticToken> staticTokens = new HashMap<>();
    private final JwtVerifier jwt;

    ChannelTokens(SwitchboardConfig config) {
        for (StaticToken token : config.authTokens()) staticTokens.put(digest(token.token()), token);
        this.jwt = config.jwt();
    }

    @Override
    public TokenGrant verifyToken(String token) {
        StaticToken staticToken = staticTokens.get(digest(token));
        if (staticToken != null) return new TokenGrant(null, staticToken::grants);
        if (jwt == null) return null;
        try {
            JwtClaims claims = jwt.verify(token, System.currentTimeMillis() / 1000);
            return new TokenGrant(claims.subject(), claims::grants);
        } catch (JwtVerifier.InvalidTokenException e) {
            return null;
        }
    }

    private static ByteBuffer digest(String token) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
