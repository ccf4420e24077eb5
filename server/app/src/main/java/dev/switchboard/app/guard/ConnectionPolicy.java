package dev.switchboard.app.guard;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.app.config.SwitchboardConfig;
import dev.switchboard.emitapi.SwitchboardMetrics;
import dev.switchboard.namespaces.core.ClientErrors;
import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;

/**
 * What the app applies to every socket of every namespace: handshake auth and the userId check before the
 * namespace's own middleware, the per-IP connection slot after it, the per-user room and the event rate limit on
 * admission, before the namespace's own connection handlers.
 */
public final class ConnectionPolicy {
    static final String USER_ROOM_PREFIX = "user:";
    static final int MAX_USER_ID_LENGTH = 128;
    private static final Logger log = LoggerFactory.getLogger(ConnectionPolicy.class);

    private final SwitchboardConfig config;
    private final HandshakeAuth auth;
    private final ConnectionLimiter perIp;
    private final SwitchboardMetrics metrics;

    public ConnectionPolicy(SwitchboardConfig config, SwitchboardMetrics metrics) {
        this(config, metrics, handshake -> null);
    }

    /** {@code consoleCredential}: the credential a handshake's operator console ticket stands for, or null. */
    public ConnectionPolicy(SwitchboardConfig config, SwitchboardMetrics metrics,
                            Function<Handshake, String> consoleCredential) {
        this.config = config;
        this.metrics = metrics;
        this.auth = new HandshakeAuth(config, metrics, consoleCredential);
        this.perIp = new ConnectionLimiter(config.maxConnectionsPerIp());
    }

    /**
     * Puts this policy around a namespace while {@code installOwn} installs the namespace's own middleware and
     * connection handlers: auth first, the address limit last, admission before the namespace's handlers.
     */
    public <T> T guard(Namespace namespace, Supplier<T> installOwn) {
        HandshakeAuth.Mode mode = auth.modeFor(namespace.name());
        log.info("namespace declared namespace={} auth={}", namespace.name(), mode.name().toLowerCase(Locale.ROOT));
        if (mode == HandshakeAuth.Mode.CLOSED) {
            log.warn("namespace closed namespace={} reason=\"the server is exposed (HOST not loopback, TRUST_PROXY or production) and neither AUTH_TOKENS nor JWT_SECRET/"
                    + "JWT_PUBLIC_KEY/JWT_JWKS_URL is set; every connection will be refused (list it in PUBLIC_NAMESPACES to open it)\"",
                    namespace.name());
        }
        namespace.use(socket -> beforeNamespace(socket, mode));
        namespace.onConnection(this::admitted);
        T installed = installOwn.get();
        namespace.use(this::checkAddressLimit);
        return installed;
    }

    /** Whether a client may connect to {@code namespace} without credentials (the /ws channels ask the same). */
    public boolean namespaceOpen(String namespace) {
        return auth.modeFor(namespace) == HandshakeAuth.Mode.OPEN;
    }

    /** Runs before the namespace's own middleware. */
    void beforeNamespace(Socket socket, HandshakeAuth.Mode mode) throws ConnectError {
        auth.check(socket, mode);
        String userId = socket.handshake().query("userId");
        if (userId != null) {
            if (userId.isEmpty() || userId.length() > MAX_USER_ID_LENGTH) {
                throw refuse(socket, "bad_user_id", "BAD_REQUEST", "userId must be 1 to " + MAX_USER_ID_LENGTH + " characters");
            }
            Object subject = socket.data().get(HandshakeAuth.SUBJECT_KEY);
            if (subject != null && !subject.equals(userId)) {
                throw refuse(socket, "user_id_mismatch", "FORBIDDEN", "userId does not match the token's subject");
            }
        }
    }

    /**
     * Runs after the namespace's own middleware: refuses when the client address already holds its share.
     * The slot itself is taken on admission (a socket refused or gone before that holds nothing), so concurrent
     * handshakes from one address may exceed the limit by the number in flight at once.
     */
    void checkAddressLimit(Socket socket) throws ConnectError {
        String ip = socket.handshake().clientAddress(config.proxyTrust());
        if (atAddressLimit(socket, ip)) {
            throw new ConnectError(TOO_MANY_MESSAGE, Map.of("code", TOO_MANY_CODE));
        }
    }

    private static final String TOO_MANY_CODE = "TOO_MANY_CONNECTIONS";
    private static final String TOO_MANY_MESSAGE = "too many connections from this address";

    /** The one per-address check, for a new socket (middleware) and a recovered one (admission); counted, logged. */
    private boolean atAddressLimit(Socket socket, String ip) {
        if (!perIp.atLimit(ip)) {
            return false;
        }
        metrics.refusal("ip_limit");
        log.warn("connect refused namespace={} ip={} reason=too_many_connections limit={} recovered={}",
                socket.namespace().name(), ip, perIp.max(), socket.recovered());
        return true;
    }

    /**
     * The socket is admitted: address slot (released on disconnect), event rate limit, per-user room, query values
     * for handlers.
     */
    void admitted(Socket socket) {
        String ip = socket.handshake().clientAddress(config.proxyTrust());
        if (socket.recovered() && atAddressLimit(socket, ip)) {
            // a recovered session skipped the middleware (as Node's skipMiddlewares): it is already admitted, so
            // it is told why and disconnected (not recoverable again) instead of refused
            ClientErrors.send(socket, "connect", TOO_MANY_CODE, TOO_MANY_MESSAGE);
            socket.disconnect(false);
            return;
        }
        if (config.rateLimit().enabled()) {
            socket.use(new EventRateLimit(config.rateLimit()));
        }
        perIp.acquire(ip);
        socket.onDisconnect(reason -> perIp.release(ip));
        Object subject = socket.data().get(HandshakeAuth.SUBJECT_KEY);
        // the user room only from a verified identity, or from the query on an unexposed server without auth
        // (local development): anyone can put another user's id in a query string
        String userId = subject != null ? subject.toString()
                : !config.authConfigured() && !config.exposed() ? socket.handshake().query("userId") : null;
        if (userId != null) {
            socket.data().put("userId", userId);
            socket.join(USER_ROOM_PREFIX + userId);
        }
        String threadId = socket.handshake().query("threadId");
        if (threadId != null) {
            socket.data().put("threadId", threadId);
        }
    }

    private ConnectError refuse(Socket socket, String reason, String code, String message) {
        metrics.refusal("handshake");
        log.warn("connect refused namespace={} ip={} reason={}", socket.namespace().name(),
                socket.handshake().clientAddress(config.proxyTrust()), reason);
        return new ConnectError(message, Map.of("code", code));
    }
}
