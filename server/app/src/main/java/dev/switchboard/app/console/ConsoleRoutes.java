package dev.switchboard.app.console;

import dev.switchboard.engineio.ProxyTrust;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.admin.LoginThrottle;
import dev.switchboard.app.config.SwitchboardConfig;
import dev.switchboard.emitapi.SwitchboardMetrics;
import dev.switchboard.engineio.HttpReply;
import dev.switchboard.engineio.HttpRouteRequest;
import dev.switchboard.engineio.SameOrigin;
import dev.switchboard.socketio.SocketIoServer;

/**
 * The operator console's HTTP endpoints on the public port, beside the page under /ui/:
 * <ul>
 * <li>{@code POST /ui/api/login {token}}: checks the token once and answers the session cookie (the token never
 *     travels in a URL nor lives in the page's storage);</li>
 * <li>{@code POST /ui/api/logout}: ends the session and clears the cookie;</li>
 * <li>{@code POST /ui/api/ticket}: a one-handshake ticket of the caller's session, for socket.io's
 *     {@code auth.consoleTicket} ({@link ConsoleSessions});</li>
 * <li>{@code GET /ui/api/session}: whether this server wants a login and whether the caller has one;</li>
 * <li>{@code GET /ui/api/history?since=ms}: the {@link MetricsHistory} samples after {@code since}.</li>
 * </ul>
 * A login is wanted when handshake credentials are configured or the server is exposed; a local development
 * server is open, as its namespaces are. Every request must be same-origin ({@link SameOrigin}); a POST must be
 * JSON (a cross-site form cannot send it without a CORS preflight, which is refused).
 */
public final class ConsoleRoutes {
    public static final String API = "/ui/api/";
    static final int MAX_LOGIN_BYTES = 4096;
    private static final Logger log = LoggerFactory.getLogger(ConsoleRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LOGIN_BACKOFF = Duration.ofSeconds(1); // the Admin UI's defaults
    private static final Duration LOGIN_BACKOFF_MAX = Duration.ofSeconds(60);
    private static final int MAX_CONCURRENT_LOGIN_CHECKS = 4;

    private final ConsoleSessions sessions;
    private final ConsoleCredentials credentials;
    private final LoginThrottle logins;
    private final MetricsHistory history;
    private final SwitchboardMetrics metrics;
    private final boolean loginRequired;
    private final ProxyTrust proxyTrust;

    public ConsoleRoutes(SwitchboardConfig config, ConsoleSessions sessions, MetricsHistory history,
                         SwitchboardMetrics metrics) {
        this.sessions = sessions;
        this.credentials = new ConsoleCredentials(config);
        this.logins = new LoginThrottle(LOGIN_BACKOFF, LOGIN_BACKOFF_MAX, MAX_CONCURRENT_LOGIN_CHECKS);
        this.history = history;
        this.metrics = metrics;
        this.loginRequired = config.authConfigured() || config.exposed();
        this.proxyTrust = config.proxyTrust();
    }

    /** Declares the routes (exact paths: they win over the /ui/ files). */
    public void register(SocketIoServer.Builder builder) {
        builder.route("POST", API + "login", this::login)
                .route("POST", API + "logout", this::logout)
                .route("POST", API + "ticket", this::ticket)
                .route("GET", API + "session", this::session)
                .route("GET", API + "history", this::history);
    }

    HttpReply login(HttpRouteRequest request) {
        HttpReply refused = crossSiteOrNotJson(request);
        if (refused != null) {
            return refused;
        }
        String ip = request.clientAddress(proxyTrust);
        String token = tokenOf(request.body());
        if (token == null) {
            return error(400, "INVALID_BODY", "expected {\"token\": \"...\"}");
        }
        LoginThrottle.Result attempt = logins.attempt(ip, () -> credentials.valid(token));
        switch (attempt.outcome()) {
            case BACKING_OFF -> {
                Duration wait = attempt.retryAfter();
                log.warn("event=console_login outcome=backing_off ip={} retryAfterMs={}", ip, wait.toMillis());
                return error(429, "LOGIN_BACKOFF", "too many failed logins from this address: retry later")
                        .withHeader("Retry-After", String.valueOf(Math.max(1, (wait.toMillis() + 999) / 1000)));
            }
            case BUSY -> {
                log.warn("event=console_login outcome=busy ip={}", ip);
                return error(503, "BUSY", "too many logins being checked at once: retry in a second")
                        .withHeader("Retry-After", "1");
            }
            case REJECTED -> {
                metrics.refusal("console_login");
                log.warn("event=console_login outcome=rejected ip={}", ip);
                return error(401, "INVALID_TOKEN", "the token is not valid here");
            }
            case ACCEPTED -> {
            }
        }
        sessions.remove(sessionId(request)); // a fresh id at every login: an id known before it is worth nothing
        String id = sessions.create(token);
        log.info("event=console_login outcome=accepted ip={} sessions={}", ip, sessions.size());
        return ok(Map.of("loggedIn", true, "expiresInMs", sessions.ttl().toMillis()))
                .withHeader("Set-Cookie", ConsoleCookie.set(id, sessions.ttl(), secure(request)))
                .withHeader("Cache-Control", "no-store");
    }

    HttpReply logout(HttpRouteRequest request) {
        HttpReply refused = crossSiteOrNotJson(request);
        if (refused != null) {
            return refused;
        }
        sessions.remove(sessionId(request));
        return ok(Map.of("loggedIn", false)).withHeader("Set-Cookie", ConsoleCookie.clear(secure(request)));
    }

    HttpReply ticket(HttpRouteRequest request) {
        HttpReply refused = crossSiteOrNotJson(request);
        if (refused != null) {
            return refused;
        }
        String ticket = loggedIn(request) ? sessions.ticket(sessionId(request)) : null;
        if (ticket == null) {
            return error(401, "UNAUTHORIZED", "log in to the console first");
        }
        return ok(Map.of("ticket", ticket, "expiresInMs", ConsoleSessions.TICKET_TTL.toMillis()))
                .withHeader("Cache-Control", "no-store");
    }

    HttpReply session(HttpRouteRequest request) {
        if (!sameOrigin(request)) {
            return crossSite();
        }
        return ok(Map.of("loginRequired", loginRequired, "loggedIn", loggedIn(request)))
                .withHeader("Cache-Control", "no-store");
    }

    HttpReply history(HttpRouteRequest request) {
        if (!sameOrigin(request)) {
            return crossSite();
        }
        if (loginRequired && !loggedIn(request)) {
            return error(401, "UNAUTHORIZED", "log in to the console first");
        }
        long since;
        try {
            String raw = request.queryParam("since");
            since = raw == null || raw.isEmpty() ? 0 : Long.parseLong(raw);
        } catch (NumberFormatException e) {
            return error(400, "INVALID_TYPE", "since must be a time in milliseconds");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("intervalMs", MetricsHistory.INTERVAL.toMillis());
        body.put("capacity", history.capacity());
        body.put("samples", history.since(since));
        return ok(body).withHeader("Cache-Control", "no-store");
    }

    private boolean loggedIn(HttpRouteRequest request) {
        String credential = sessions.credential(sessionId(request));
        return credential != null && credentials.valid(credential); // a JWT may have expired since the login
    }

    private static String sessionId(HttpRouteRequest request) {
        return ConsoleCookie.sessionId(request.headerValues("cookie"));
    }

    private boolean secure(HttpRouteRequest request) {
        String origin = request.header("origin");
        if (origin != null && origin.startsWith("https://")) {
            return true;
        }
        return proxyTrust.trusts(request.remoteAddress()) && "https".equalsIgnoreCase(request.header("x-forwarded-proto"));
    }

    private static boolean sameOrigin(HttpRouteRequest request) {
        return SameOrigin.allows(request.header("origin"), request.header("host"), request.header("sec-fetch-site"));
    }

    private HttpReply crossSiteOrNotJson(HttpRouteRequest request) {
        if (!sameOrigin(request)) {
            return crossSite();
        }
        String type = request.header("content-type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return error(415, "UNSUPPORTED_MEDIA_TYPE", "send Content-Type: application/json");
        }
        if (request.body().length > MAX_LOGIN_BYTES) {
            return error(413, "BODY_TOO_LARGE", "at most " + MAX_LOGIN_BYTES + " bytes");
        }
        return null;
    }

    private HttpReply crossSite() {
        metrics.refusal("console_cross_site");
        return error(403, "CROSS_SITE_REQUEST", "the console answers pages of its own origin only");
    }

    private static String tokenOf(byte[] body) {
        try {
            JsonNode token = JSON.readTree(body).get("token");
            return token != null && token.isTextual() && !token.textValue().isBlank() ? token.textValue().trim() : null;
        } catch (Exception e) { // malformed JSON, or no object at all
            return null;
        }
    }

    private static HttpReply ok(Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.putAll(fields);
        return json(200, body);
    }

    private static HttpReply error(int status, String code, String message) {
        return json(status, Map.of("success", false, "error", Map.of("code", code, "message", message)));
    }

    private static HttpReply json(int status, Object body) {
        try {
            return HttpReply.json(status, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            return HttpReply.json(500, "{\"success\":false}".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** For the handshake: the credential of the console ticket in {@code auth.consoleTicket}, or null. */
    public static String handshakeCredential(ConsoleSessions sessions, JsonNode auth) {
        JsonNode ticket = auth == null ? null : auth.get("consoleTicket");
        return ticket != null && ticket.isTextual() ? sessions.redeem(ticket.textValue()) : null;
    }
}
