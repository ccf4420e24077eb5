package dev.switchboard.app.guard;

import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.app.config.SwitchboardConfig;
import dev.switchboard.app.credentials.JwtClaims;
import dev.switchboard.app.credentials.JwtVerifier;
import dev.switchboard.app.credentials.StaticToken;
import dev.switchboard.app.credentials.StaticTokens;
import dev.switchboard.emitapi.SwitchboardMetrics;
import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.RoomAccess;
import dev.switchboard.socketio.Socket;

/**
 * Decides who may connect to a namespace. Policy:
 * <ul>
 * <li>namespaces in PUBLIC_NAMESPACES are open;</li>
 * <li>when AUTH_TOKENS or JWT_SECRET/JWT_PUBLIC_KEY/JWT_JWKS_URL is set, every other namespace needs a credential that grants
 *     it, from the CONNECT packet's {@code auth.token} or the handshake's {@code Authorization: Bearer} header;</li>
 * <li>without credentials configured, everything is open on a loopback HOST, and the namespaces that say they are
 *     sensitive (/services, /deployments, /files) refuse every connection on any other HOST.</li>
 * </ul>
 * Each refusal is answered with CONNECT_ERROR {@code {message, data:{code}}}, counted and logged once (never the token).
 */
final class HandshakeAuth {
    enum Mode { OPEN, CREDENTIALS, CLOSED }

    static final String SUBJECT_KEY = "sb.subject";
    static final String AUTH_KEY = "sb.auth";

    private static final Logger log = LoggerFactory.getLogger(HandshakeAuth.class);

    private final SwitchboardConfig config;
    private final SwitchboardMetrics metrics;
    private final StaticTokens staticTokens;
    private final Function<Handshake, String> consoleCredential; // the operator console's session ticket, or null

    HandshakeAuth(SwitchboardConfig config, SwitchboardMetrics metrics) {
        this(config, metrics, handshake -> null);
    }

    HandshakeAuth(SwitchboardConfig config, SwitchboardMetrics metrics, Function<Handshake, String> consoleCredential) {
        this.config = config;
        this.metrics = metrics;
        this.staticTokens = new StaticTokens(config.authTokens());
        this.consoleCredential = consoleCredential;
    }

    Mode modeFor(String namespace) {
        if (config.publicNamespaces().contains(namespace)) {
            return Mode.OPEN;
        }
        if (config.authConfigured()) {
            return Mode.CREDENTIALS;
        }
        if (config.exposed() && config.namespaces().sensitive(namespace)) {
            return Mode.CLOSED;
        }
        return Mode.OPEN;
    }

    /** Checks one CONNECT; on success records the subject (JWT {@code sub}) in {@code socket.data()}. */
    void check(Socket socket, Mode mode) throws ConnectError {
        String namespace = socket.namespace().name();
        if (mode == Mode.OPEN) {
            return;
        }
        if (mode == Mode.CLOSED) {
            throw refuse(socket, "auth_not_configured", "UNAUTHORIZED", "namespace " + namespace
                    + " requires authentication, which this server has not configured");
        }
        String token = tokenOf(socket.handshake());
        if (token == null) {
            token = consoleCredential.apply(socket.handshake());
        }
        if (token == null) {
            throw refuse(socket, "missing_token", "UNAUTHORIZED", "authentication required");
        }
        StaticToken staticToken = staticTokens.find(token);
        if (staticToken != null) {
            if (!staticToken.grants(namespace)) {
                throw refuse(socket, "namespace_not_granted", "FORBIDDEN", "token does not grant " + namespace);
            }
            socket.data().put(AUTH_KEY, "token");
            return;
        }
        JwtVerifier jwt = config.jwt();
        if (jwt == null) {
            throw refuse(socket, "invalid_token", "UNAUTHORIZED", "invalid token");
        }
        JwtClaims claims;
        try {
            claims = jwt.verify(token, System.currentTimeMillis() / 1000);
        } catch (JwtVerifier.InvalidTokenException e) {
            throw refuse(socket, "invalid_token", "UNAUTHORIZED", "invalid token: " + e.getMessage());
        }
        if (!claims.grants(namespace)) {
            throw refuse(socket, "namespace_not_granted", "FORBIDDEN", "token does not grant " + namespace);
        }
        socket.data().put(AUTH_KEY, "jwt");
        if (claims.rooms() != null) {
            socket.data().put(RoomAccess.CLAIM_KEY, claims.rooms()); // the rooms this client may ask for
        }
        if (claims.subject() != null) {
            socket.data().put(SUBJECT_KEY, claims.subject());
        }
    }

    private ConnectError refuse(Socket socket, String reason, String code, String message) {
        metrics.refusal("auth");
        log.warn("connect refused namespace={} ip={} reason={}", socket.namespace().name(),
                socket.handshake().clientAddress(config.proxyTrust()), reason);
        return new ConnectError(message, Map.of("code", code));
    }

    private static String tokenOf(Handshake handshake) {
        JsonNode auth = handshake.auth();
        JsonNode token = auth == null ? null : auth.get("token");
        if (token != null && token.isTextual() && !token.textValue().isBlank()) {
            return token.textValue().trim();
        }
        String header = handshake.header("authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && header.length() > 7) {
            return header.substring(7).trim();
        }
        return null;
    }
}
