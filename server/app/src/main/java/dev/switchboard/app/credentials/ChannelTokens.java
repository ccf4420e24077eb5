package dev.switchboard.app.credentials;

import java.util.List;
import java.util.function.Predicate;

import dev.switchboard.channels.AgentSessions;
import dev.switchboard.channels.ChannelAuthenticator;

/**
 * The plain channels' credentials: the same AUTH_TOKENS, JWT (and its rooms claim) and PUBLIC_NAMESPACES settings as
 * Socket.IO handshakes.
 */
public final class ChannelTokens implements ChannelAuthenticator {
    private final StaticTokens staticTokens;
    private final JwtVerifier jwt;
    private final AgentSessions agentSessions;
    private final Predicate<String> openNamespaces;

    /**
     * @param jwt            null when no JWT key is configured
     * @param agentSessions  null when WS_SESSION_SECRET is unset: every agent/session pair is refused
     * @param openNamespaces the namespaces a Socket.IO client may connect to without credentials
     */
    public ChannelTokens(List<StaticToken> staticTokens, JwtVerifier jwt, AgentSessions agentSessions,
                         Predicate<String> openNamespaces) {
        this.staticTokens = new StaticTokens(staticTokens);
        this.jwt = jwt;
        this.agentSessions = agentSessions;
        this.openNamespaces = openNamespaces;
        if (jwt != null) {
            jwt.warmUp(); // verifyToken never waits for a JWKS: have its keys at hand before the first auth message
        }
    }

    @Override
    public boolean namespaceOpen(String namespace) {
        return openNamespaces.test(namespace);
    }

    @Override
    public boolean verifyAgentSession(String agentId, String sessionId) {
        return agentSessions != null && agentSessions.verify(agentId, sessionId);
    }

    /** Runs on the Netty I/O thread (the plain channels' auth message): never waits for a JWKS endpoint. */
    @Override
    public TokenGrant verifyToken(String token) {
        StaticToken staticToken = staticTokens.find(token);
        if (staticToken != null) return new TokenGrant(null, staticToken::grants);
        if (jwt == null) return null;
        try {
            JwtClaims claims = jwt.verifyWithoutBlocking(token, System.currentTimeMillis() / 1000);
            return new TokenGrant(claims.subject(), claims::grants, claims.rooms());
        } catch (JwtVerifier.InvalidTokenException e) {
            return null;
        }
    }
}
