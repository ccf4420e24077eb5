package dev.switchboard.channels;

import java.util.function.Predicate;

/**
 * Verifies the credentials of an {@code auth} message. The app implements it with its AUTH_TOKENS / JWT
 * settings; the channels module knows nothing of token formats.
 */
public interface ChannelAuthenticator {

    /** What a verified token grants: which namespaces, and the subject for logs (may be null). */
    record TokenGrant(String subject, Predicate<String> namespaces) {
    }

    /** The grant of a valid token, or null when the token is invalid (or tokens are not configured). */
    TokenGrant verifyToken(String token);

    /**
     * Whether an agent_id + session_id pair is acceptable as an identity. The default accepts any well-formed pair:
     * possession of the session id is the credential, and the pair only opens channels named by its own ids.
     */
    default boolean verifyAgentSession(String agentId, String sessionId) {
        return true;
    }

    /** No tokens configured: only agent/session pairs authenticate. */
    ChannelAuthenticator PAIRS_ONLY = token -> null;
}
