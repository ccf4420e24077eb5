package dev.switchboard.channels;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.switchboard.socketio.RoomPattern;

/**
 * What one plain client has proven: a token grant and/or a verified agent_id + session_id pair (from the
 * {@code auth} message or the connection's query). Only touched on the connection's I/O thread.
 */
final class ClientIdentity {
    private ChannelAuthenticator.TokenGrant grant;
    private final Map<String, String> claims = new HashMap<>(4);

    void grant(ChannelAuthenticator.TokenGrant grant) {
        this.grant = grant;
    }

    /** Records a verified pair: it owns the channels named by its agent and session ids. */
    void pair(String agentId, String sessionId) {
        claims.clear();
        claims.put("agent_id", agentId);
        claims.put("session_id", sessionId);
    }

    boolean authenticated() {
        return grant != null || !claims.isEmpty();
    }

    String subject() {
        if (grant != null && grant.subject() != null) return grant.subject();
        String agent = claims.get("agent_id");
        return agent == null ? null : "agent:" + agent;
    }

    boolean allows(ChannelAccess access, ResolvedChannel channel) {
        return switch (access) {
            case PUBLIC -> true;
            case NONE -> false;
            case AUTH -> grantsNamespace(channel) || !claims.isEmpty();
            case OWNER -> grantsNamespace(channel) || ownsByClaims(channel.variables());
        };
    }

    private boolean grantsNamespace(ResolvedChannel channel) {
        return grant != null && (channel.local() || grant.namespaces().test(channel.namespace()));
    }

    /** Whether its token grants {@code namespace}. */
    boolean grantsNamespace(String namespace) {
        return grant != null && grant.namespaces().test(namespace);
    }

    /**
     * The identity rooms it has proven, as the server would assign them to a Socket.IO socket: {@code user:<sub>}
     * of its token, {@code agent:<agent_id>} and {@code session:<session_id>} of its verified pair.
     */
    Set<String> identityRooms() {
        Set<String> rooms = new HashSet<>(4);
        if (grant != null && grant.subject() != null) rooms.add("user:" + grant.subject());
        String agent = claims.get("agent_id");
        if (agent != null) rooms.add("agent:" + agent);
        String session = claims.get("session_id");
        if (session != null) rooms.add("session:" + session);
        return rooms;
    }

    /** The room patterns its token is limited to; null = no limit. */
    List<RoomPattern> roomClaim() {
        return grant == null ? null : grant.rooms();
    }

    /** Every variable of the channel must equal the claim of the same name (a channel without any: not owned). */
    private boolean ownsByClaims(Map<String, String> variables) {
        if (claims.isEmpty() || variables.isEmpty()) return false;
        for (Map.Entry<String, String> v : variables.entrySet()) {
            if (!v.getValue().equals(claims.get(canonical(v.getKey())))) return false;
        }
        return true;
    }

    private static String canonical(String name) {
        return switch (name) {
            case "agentId" -> "agent_id";
            case "sessionId" -> "session_id";
            case "thread_id" -> "threadId";
            case "user_id" -> "userId";
            default -> name;
        };
    }
}
