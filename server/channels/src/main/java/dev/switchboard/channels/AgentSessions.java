package dev.switchboard.channels;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifiable agent sessions: a session id is {@code hex(HMAC-SHA256(secret, agent_id))}, minted by the backend
 * that knows the secret ({@code printf %s "$AGENT_ID" | openssl dgst -sha256 -hmac "$WS_SESSION_SECRET"}).
 * A client can present its pair but cannot invent one for another agent.
 */
public final class AgentSessions {
    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    public AgentSessions(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the session secret must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** The session id of an agent. */
    public String sessionIdFor(String agentId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(agentId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether {@code sessionId} was minted for {@code agentId}; constant time. */
    public boolean verify(String agentId, String sessionId) {
        return MessageDigest.isEqual(sessionIdFor(agentId).getBytes(StandardCharsets.US_ASCII),
                sessionId.getBytes(StandardCharsets.US_ASCII));
    }
}
