package dev.switchboard.app.config;

import dev.switchboard.engineio.ProxyTrust;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.switchboard.app.credentials.JwtRules;
import dev.switchboard.app.credentials.JwtVerifier;
import dev.switchboard.app.credentials.StaticToken;
import dev.switchboard.redis.RedisSettings;
import dev.switchboard.emitapi.EmitApiOptions;
import dev.switchboard.socketio.RecoveryOptions;
import dev.switchboard.admin.AdminUiOptions;
import dev.switchboard.socketio.parser.SocketIoParser;

/**
 * All settings of the server, read once at start-up from environment variables (over an optional properties
 * file named by {@code SWITCHBOARD_CONFIG}). Every bad value is a {@link ConfigException} naming its variable.
 * The variables, defaults and meanings are listed in the README's configuration table.
 */
public record SwitchboardConfig(
        String host,
        int wsPort,
        String apiHost,
        int apiPort,
        List<String> corsOrigins,
        boolean production,
        Duration pingInterval,
        Duration pingTimeout,
        Duration connectTimeout,
        int maxPayloadBytes,
        SocketIoParser parser,
        String emitToken,
        int apiMaxBodyBytes,
        int apiMaxBatch,
        int apiSelectors,
        List<StaticToken> authTokens,
        JwtVerifier jwt,
        Set<String> publicNamespaces,
        RateLimitSettings rateLimit,
        int maxConnectionsPerIp,
        boolean trustProxy,
        ProxyTrust proxyTrust,
        AdmissionSettings admission,
        String logFormat,
        String logLevel,
        Duration shutdownGrace,
        NamespaceSettings namespaces,
        RedisSettings redis,
        PlainChannelsSettings channels,
        RecoveryOptions recovery,
        AdminUiOptions adminUi,
        ApiProtection apiProtection,
        ClientEndpoint clientEndpoint,
        HeapTrimSettings heapTrim) {

    static final List<String> DEV_ORIGINS = List.of("http://localhost:3000", "http://localhost:5173");
    /** Secrets shorter than this are refused: they can be guessed. */
    static final int MIN_SECRET_LENGTH = 16;

    public static SwitchboardConfig fromEnvironment(Map<String, String> environment) {
        return from(ConfigSource.of(environment));
    }

    public static SwitchboardConfig from(ConfigSource source) {
        return parse(new ConfigParser(source));
    }

    /** Reads every variable whatever the others say (see {@link ConfigVariables}). */
    static SwitchboardConfig parse(ConfigParser p) {
        boolean production = "production".equals(p.choice("SWITCHBOARD_ENV", "development", "development", "production"));
        String host = p.host("HOST", "0.0.0.0");
        int wsPort = p.port("WS_PORT", p.port("PORT", 3007)); // platforms (Heroku, Render, ...) set PORT
        String apiHost = p.host("API_HOST", "127.0.0.1");
        int apiPort = p.port("API_PORT", 3008);
        if (wsPort != 0 && wsPort == apiPort && sameAddress(host, apiHost)) {
            throw new ConfigException("API_PORT", "must differ from WS_PORT (" + wsPort + ")");
        }

        Duration pingInterval = p.millis("PING_INTERVAL_MS", 25_000, 100);
        Duration pingTimeout = p.millis("PING_TIMEOUT_MS", 20_000, 100);
        Duration connectTimeout = p.millis("CONNECT_TIMEOUT_MS", 45_000, 100);
        int maxPayload = p.intInRange("MAX_PAYLOAD_BYTES", 1_000_000, 1024, 100_000_000);
        SocketIoParser parser = SocketIoParser.valueOf(
                p.choice("SOCKETIO_PARSER", "default", "default", "msgpack").toUpperCase(Locale.ROOT));

        String emitToken = secret(p, "EMIT_TOKEN");
        if (emitToken == null && !ConfigParser.isLoopback(apiHost)) {
            throw new ConfigException("EMIT_TOKEN", "is required when API_HOST (" + apiHost
                    + ") is not a loopback address: the emit API would be open to the network");
        }
        int apiMaxBody = p.intInRange("API_MAX_BODY_BYTES", 1_048_576, 1024, 64 * 1_048_576);
        int apiMaxBatch = p.intInRange("API_MAX_BATCH", 100, 1, 10_000);
        int apiSelectors = p.intInRange("API_SELECTORS",
                Math.min(64, EmitApiOptions.defaultSelectors(Runtime.getRuntime().availableProcessors())), 1, 64);

        List<StaticToken> authTokens = authTokens(p);
        JwtVerifier jwt = jwt(p);
        Set<String> publicNamespaces = namespaces(p, "PUBLIC_NAMESPACES");

        int rate = p.intInRange("RATE_LIMIT_EVENTS_PER_SEC", 50, 0, 1_000_000);
        int burst = p.intInRange("RATE_LIMIT_BURST", Math.max(1, rate * 2), 1, 10_000_000);
        int disconnectAfter = p.intInRange("RATE_LIMIT_DISCONNECT_AFTER_SEC", 5, 0, 3600);
        int maxPerIp = p.intInRange("MAX_CONNECTIONS_PER_IP", 1000, 0, 10_000_000);
        boolean trustProxy = p.bool("TRUST_PROXY", false);
        ProxyTrust proxyTrust = trustedProxies(p, trustProxy);
        // a local development server: the Host check guards it against DNS rebinding
        boolean localOnly = ConfigParser.isLoopback(host) && !trustProxy && !production;
        AllowedHosts allowedHosts = AllowedHosts.parse(p, host, apiHost);
        AdmissionSettings admission = AdmissionSettings.parse(p, localOnly, allowedHosts);

        String logFormat = p.choice("LOG_FORMAT", "text", "text", "json");
        String logLevel = p.choice("LOG_LEVEL", "INFO", "TRACE", "DEBUG", "INFO", "WARN", "ERROR");
        Duration grace = p.millis("SHUTDOWN_GRACE_MS", 10_000, 0);

        return new SwitchboardConfig(host, wsPort, apiHost, apiPort, corsOrigins(p, production), production,
                pingInterval, pingTimeout, connectTimeout, maxPayload, parser, emitToken, apiMaxBody, apiMaxBatch,
                apiSelectors, authTokens, jwt, publicNamespaces, new RateLimitSettings(rate, burst, disconnectAfter), maxPerIp, trustProxy,
                proxyTrust, admission, logFormat, logLevel, grace, NamespaceSettings.parse(p), redis(p),
                PlainChannelsSettings.parse(p, maxPayload, new RateLimitSettings(rate, burst, disconnectAfter), maxPerIp,
                        proxyTrust),
                recovery(p), adminUi(p, proxyTrust), ApiProtection.parse(p, allowedHosts), ClientEndpoint.parse(p),
                HeapTrimSettings.parse(p));
    }

    /**
     * The peers whose X-Forwarded-For / X-Real-IP give the client address: none unless TRUST_PROXY, then
     * TRUSTED_PROXIES (IP literals or CIDRs), by default loopback and private networks. Read and checked either way.
     */
    private static ProxyTrust trustedProxies(ConfigParser p, boolean trustProxy) {
        List<String> entries = p.list("TRUSTED_PROXIES");
        ProxyTrust listed;
        try {
            listed = entries == null || entries.isEmpty() ? ProxyTrust.PRIVATE_NETWORKS : ProxyTrust.parse(entries);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("TRUSTED_PROXIES", e.getMessage());
        }
        return trustProxy ? listed : ProxyTrust.NONE;
    }

    /** Connection state recovery: off unless RECOVERY_MAX_DISCONNECTION_MS is set (as in Node). */
    private static RecoveryOptions recovery(ConfigParser p) {
        Duration window = p.millis("RECOVERY_MAX_DISCONNECTION_MS", 0, 0);
        int packets = p.intInRange("RECOVERY_MAX_PACKETS", 10_000, 1, 10_000_000);
        int bytes = p.intInRange("RECOVERY_MAX_BYTES", 4 << 20, 1024, Integer.MAX_VALUE);
        return window.isZero() ? null : new RecoveryOptions(window, packets, bytes);
    }

    /** The Socket.IO Admin UI: off unless ADMIN_UI=on; a bcrypt hash is required unless ADMIN_UI_NO_AUTH=true. */
    private static AdminUiOptions adminUi(ConfigParser p, ProxyTrust trustProxy) {
        boolean on = "on".equals(p.choice("ADMIN_UI", "off", "off", "on"));
        Duration backoff = p.millis("ADMIN_UI_LOGIN_BACKOFF_MS", 1000, 0);
        Duration backoffMax = p.millis("ADMIN_UI_LOGIN_BACKOFF_MAX_MS", Math.max(60_000, backoff.toMillis()),
                backoff.toMillis());
        int concurrentChecks = p.intInRange("ADMIN_UI_LOGIN_MAX_CONCURRENT", 2, 1, 64);
        boolean readonly = p.bool("ADMIN_UI_READONLY", false);
        boolean noAuth = p.bool("ADMIN_UI_NO_AUTH", false);
        String user = p.string("ADMIN_UI_USER", "admin");
        String hash = p.optional("ADMIN_UI_PASSWORD_HASH");
        if (!on) {
            return null;
        }
        AdminUiOptions.Builder admin = AdminUiOptions.builder().readonly(readonly)
                .trustProxy(trustProxy).loginThrottle(backoff, backoffMax, concurrentChecks);
        if (noAuth) {
            return admin.noAuth().build();
        }
        if (hash == null || !hash.matches("\\$2[aby]?\\$\\d{2}\\$[./A-Za-z0-9]{53}")) {
            throw new ConfigException("ADMIN_UI_PASSWORD_HASH", "must be a bcrypt hash ($2b$10$...) when ADMIN_UI=on");
        }
        return admin.basicAuth(user, hash).build();
    }

    private static RedisSettings redis(ConfigParser p) {
        String url = p.optional("REDIS_URL");
        if (url != null && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
            throw new ConfigException("REDIS_URL", "must start with redis:// or rediss://");
        }
        String prefix = p.string("REDIS_PREFIX", RedisSettings.DEFAULT_PREFIX);
        String relay = p.optional("REDIS_RELAY_CHANNEL");
        Duration heartbeat = p.millis("REDIS_HEARTBEAT_MS", RedisSettings.DEFAULT_HEARTBEAT.toMillis(), 50);
        RedisSettings.AdapterMode adapter = RedisSettings.AdapterMode.valueOf(
                p.choice("REDIS_ADAPTER", "classic", "classic", "sharded").toUpperCase(java.util.Locale.ROOT));
        RedisSettings.SubscriptionMode subscriptions = RedisSettings.SubscriptionMode.valueOf(p.choice(
                "REDIS_SUBSCRIPTION_MODE", "dynamic", "static", "dynamic", "dynamic-private")
                .toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        try {
            return new RedisSettings(url, prefix, relay, heartbeat, RedisSettings.DEFAULT_REQUEST_TIMEOUT, adapter,
                    subscriptions);
        } catch (IllegalArgumentException e) {
            String named = e.getMessage().split("[ :]", 2)[0]; // RedisSettings' messages start with the variable
            throw new ConfigException(named.startsWith("REDIS_") ? named : "REDIS_HEARTBEAT_MS", e.getMessage());
        }
    }

    /** Whether handshake credentials (static tokens or JWT) are configured. */
    public boolean authConfigured() {
        return !authTokens.isEmpty() || jwt != null;
    }

    /**
     * Whether clients other than this machine's can reach the public port: HOST is not loopback, or a proxy forwards
     * to it (TRUST_PROXY: nginx on the same machine makes a loopback HOST public), or SWITCHBOARD_ENV=production.
     */
    public boolean exposed() {
        return !hostIsLoopback() || trustProxy || production;
    }

    public boolean hostIsLoopback() {
        return ConfigParser.isLoopback(host);
    }

    /** CORS_ORIGINS (default: the dev origins in development, none in production) plus the VPS_IP origins. */
    private static List<String> corsOrigins(ConfigParser p, boolean production) {
        List<String> configured = p.list("CORS_ORIGINS");
        Set<String> origins = new LinkedHashSet<>(configured != null ? configured : production ? List.of() : DEV_ORIGINS);
        for (String origin : origins) {
            if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                throw new ConfigException("CORS_ORIGINS", "'" + origin + "' is not an origin like https://app.example.com[:port]");
            }
        }
        String vpsIp = p.optional("VPS_IP");
        if (vpsIp != null) {
            if (!vpsIp.matches("[0-9A-Za-z.:\\[\\]-]+")) {
                throw new ConfigException("VPS_IP", "'" + vpsIp + "' is not an IP address or host name");
            }
            origins.add("http://" + vpsIp);
            origins.add("https://" + vpsIp);
            origins.add("http://" + vpsIp + ":3000");
        }
        return List.copyOf(origins);
    }

    private static String secret(ConfigParser p, String name) {
        String value = p.optional(name);
        if (value != null && value.length() < MIN_SECRET_LENGTH) {
            throw new ConfigException(name, "must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        return value;
    }

    private static List<StaticToken> authTokens(ConfigParser p) {
        List<String> entries = p.list("AUTH_TOKENS");
        if (entries == null) {
            return List.of();
        }
        List<StaticToken> tokens = new ArrayList<>();
        for (String entry : entries) {
            int at = entry.indexOf('@');
            String token = at < 0 ? entry : entry.substring(0, at);
            if (token.length() < MIN_SECRET_LENGTH) {
                throw new ConfigException("AUTH_TOKENS", "entry " + (tokens.size() + 1) + " has a token shorter than "
                        + MIN_SECRET_LENGTH + " characters");
            }
            Set<String> namespaces = new LinkedHashSet<>();
            if (at >= 0) {
                for (String ns : entry.substring(at + 1).split("\\|")) {
                    if (!ns.startsWith("/")) {
                        throw new ConfigException("AUTH_TOKENS", "entry " + (tokens.size() + 1)
                                + " lists a namespace not starting with '/': '" + ns + "'");
                    }
                    namespaces.add(ns);
                }
            }
            tokens.add(new StaticToken(token, Set.copyOf(namespaces)));
        }
        return List.copyOf(tokens);
    }

    private static JwtVerifier jwt(ConfigParser p) {
        JwtRules rules = new JwtRules(p.optional("JWT_ISSUER"), p.optional("JWT_AUDIENCE"),
                p.bool("JWT_REQUIRE_EXP", false));
        JwtVerifier verifier = JwtSettings.parse(p, rules);
        if (verifier == null && rules.any()) {
            throw new ConfigException(rules.issuer() != null ? "JWT_ISSUER" : rules.audience() != null ? "JWT_AUDIENCE"
                    : "JWT_REQUIRE_EXP", "is set, but none of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL is: no token would be checked");
        }
        return verifier;
    }

    private static Set<String> namespaces(ConfigParser p, String name) {
        List<String> entries = p.list(name);
        if (entries == null) {
            return Set.of();
        }
        for (String ns : entries) {
            if (!ns.startsWith("/")) {
                throw new ConfigException(name, "'" + ns + "' does not start with '/'");
            }
        }
        return Set.copyOf(entries);
    }

    private static boolean sameAddress(String a, String b) {
        return a.equals(b) || a.equals("0.0.0.0") || b.equals("0.0.0.0");
    }

    /** Without secrets: safe to log. */
    @Override
    public String toString() {
        return "host=" + host + " wsPort=" + wsPort + " apiHost=" + apiHost + " apiPort=" + apiPort
                + " env=" + (production ? "production" : "development") + " corsOrigins=" + corsOrigins
                + " pingIntervalMs=" + pingInterval.toMillis() + " pingTimeoutMs=" + pingTimeout.toMillis()
                + " connectTimeoutMs=" + connectTimeout.toMillis() + " maxPayloadBytes=" + maxPayloadBytes
                + " socketioParser=" + parser.name().toLowerCase(Locale.ROOT)
                + " emitToken=" + (emitToken == null ? "unset" : "set") + " authTokens=" + authTokens.size()
                + " jwt=" + (jwt == null ? "off" : jwt.algorithm() + " keys=" + jwt.keySource()
                        + (jwt.rules().any() ? " " + jwt.rules() : ""))
                + " publicNamespaces=" + publicNamespaces
                + " rateLimit=" + rateLimit.eventsPerSecond() + "/s burst=" + rateLimit.burst()
                + " maxConnectionsPerIp=" + maxConnectionsPerIp + " trustProxy=" + trustProxy + " trustedProxies=" + proxyTrust + " " + admission
                + " logFormat=" + logFormat
                + " shutdownGraceMs=" + shutdownGrace.toMillis() + " " + namespaces + " " + channels
                + " recovery=" + (recovery == null ? "off" : recovery.maxDisconnectionDuration().toMillis() + "ms")
                + " adminUi=" + (adminUi == null ? "off" : adminUi.readonly() ? "readonly" : "on") + " " + heapTrim;
    }
}
