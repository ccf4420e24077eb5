package dev.switchboard.channels;

import java.util.HashMap;
import java.util.Map;

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
