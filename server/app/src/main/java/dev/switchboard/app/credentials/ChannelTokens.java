package dev.switchboard.app.credentials;

import java.util.List;

import dev.switchboard.channels.AgentSessions;
import dev.switchboard.channels.ChannelAuthenticator;

/** The plain channels' {@code auth} token check: the same AUTH_TOKENS and JWT settings as Socket.IO handshakes. */
public final class ChannelTokens implements ChannelAuthenticator {
    private final StaticTokens staticTokens;
    private final JwtVerifier jwt;
    private final AgentSessions agentSessions;

    /**
     * @param jwt           null when no JWT key is configured
     * @param agentSessions null when WS_SESSION_SECRET is unset: every agent/session pair is refused
     */
    public ChannelTokens(List<StaticToken> staticTokens, JwtVerifier jwt, AgentSessions agentSessions) {
        this.staticTokens = new StaticTokens(staticTokens);
        this.jwt = jwt;
        this.agentSessions = agentSessions;
    }

    @Override
    public boolean verifyAgentSession(String agentId, String sessionId) {
        return agentSessions != null && agentSessions.verify(agentId, sessionId);
    }

    @Override
    public TokenGrant verifyToken(String token) {
        StaticToken staticToken = staticTokens.find(token);
        if (staticToken != null) return new TokenGrant(null, staticToken::grants);
        if (jwt == null) return null;
        try {
            JwtClaims claims = jwt.verify(token, System.currentTimeMillis() / 1000);
            return new TokenGrant(claims.subject(), claims::grants);
        } catch (JwtVerifier.InvalidTokenException e) {
            return null;
        }
    }
}
