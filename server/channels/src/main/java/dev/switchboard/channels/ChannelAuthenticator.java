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
     * Whether an agent_id + session_id pair is a verified identity (e.g. with {@link AgentSessions}). The default
     * refuses every pair: a self-declared agent id proves nothing.
     */
    default boolean verifyAgentSession(String agentId, String sessionId) {
        return false;
    }
}
