package dev.switchboard.channels;

import java.util.List;
import java.util.function.Predicate;

import dev.switchboard.socketio.RoomPattern;

/**
 * Verifies the credentials of an {@code auth} message and says which namespaces need them. The app implements it
 * with the same AUTH_TOKENS / JWT / PUBLIC_NAMESPACES settings as Socket.IO handshakes; the channels module knows
 * nothing of token formats.
 */
public interface ChannelAuthenticator {

    /**
     * What a verified token grants: which namespaces, the subject (its identity room {@code user:<subject>}; may be
     * null) and the room patterns it is limited to (the JWT {@code rooms} claim; null = no limit).
     */
    record TokenGrant(String subject, Predicate<String> namespaces, List<RoomPattern> rooms) {
        public TokenGrant(String subject, Predicate<String> namespaces) {
            this(subject, namespaces, null);
        }
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

    /**
     * Whether a Socket.IO client may connect to {@code namespace} without credentials (PUBLIC_NAMESPACES, or no
     * credentials configured on a server that opens it). A channel mapped to a namespace that is not open needs a
     * token granting it, unless the operator declared the channel public or it is the client's own identity room.
     */
    boolean namespaceOpen(String namespace);
}
