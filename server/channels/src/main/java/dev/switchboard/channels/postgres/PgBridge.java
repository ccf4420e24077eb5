package dev.switchboard.channels.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.engineio.HeldBackLog;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL LISTEN/NOTIFY bridge: one connection LISTENs on every configured channel and relays each NOTIFY
 * payload (JSON; anything else is relayed as a string) to its namespace/room/event. When the connection drops
 * (database restart, network) it reconnects with backoff and LISTENs again; {@link #status()} says where it is.
 * Runs on its own daemon thread.
 */
public final class PgBridge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PgBridge.class);
    private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final long POLL_MILLIS = 500;
    private static final long LIVENESS_MILLIS = 5_000;
    /** Used directly, not through DriverManager: no service-loader lookup to lose in a shaded jar. */
    private static final Driver DRIVER = new org.postgresql.Driver();

    public enum State { CONNECTING, LISTENING, RECONNECTING, STOPPED }

    private final PgUrl url;
    private final Map<String, List<PgBridgeRoute>> routes = new HashMap<>();
    private final BridgeRelay relay;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final AtomicLong notifications = new AtomicLong();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final HeldBackLog droppedLog = new HeldBackLog();
    private final HeldBackLog relayFailedLog = new HeldBackLog();
    private final Thread thread;
    private volatile State state = State.CONNECTING;
    private volatile boolean closed;
    private volatile Instant listeningSince;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile Connection current;

    public PgBridge(String pgUrl, List<PgBridgeRoute> routes, BridgeRelay relay, Duration minBackoff, Duration maxBackoff) {
        this.url = PgUrl.parse(pgUrl);
        for (PgBridgeRoute r : routes) this.routes.computeIfAbsent(r.pgChannel(), k -> new ArrayList<>()).add(r);
        if (this.routes.isEmpty()) throw new IllegalArgumentException("no bridge route");
        this.relay = relay;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.thread = new Thread(this::run, "pg-bridge");
        this.thread.setDaemon(true);
    }

    public PgBridge(String pgUrl, List<PgBridgeRoute> routes, BridgeRelay relay) {
        this(pgUrl, routes, relay, Duration.ofMillis(250), Duration.ofSeconds(10));
    }

    public PgBridge start() {
        thread.start();
        return this;
    }

    public State state() {
        return state;
    }

    /** For the public /health: the state and counters, without the database address or error texts. */
    public Map<String, Object> summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        Map<String, Object> all = status();
        for (String key : new String[] {"status", "reconnects", "notifications", "relayed", "rejected"}) {
            s.put(key, all.get(key));
        }
        return s;
    }

    /** For /stats (token): {@code {status, url, channels, listeningSince, reconnects, notifications, relayed, rejected, lastError}}. */
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", state.name().toLowerCase());
        s.put("url", url.redacted());
        s.put("channels", new ArrayList<>(routes.keySet()));
        Instant since = listeningSince;
        s.put("listeningSince", state == State.LISTENING && since != null ? since.toString() : null);
        s.put("reconnects", reconnects.get());
        s.put("notifications", notifications.get());
        s.put("relayed", relayed.get());
        s.put("rejected", rejected.get());
        s.put("lastError", lastError);
        s.put("lastErrorAt", lastErrorAt == null ? null : lastErrorAt.toString());
        return s;
    }

    private void run() {
        long backoff = minBackoff.toMillis();
        boolean everListened = false;
        while (!closed) {
            try (Connection connection = connect()) {
                current = connection;
                PGConnection pg = connection.unwrap(PGConnection.class);
                try (Statement statement = connection.createStatement()) {
                    for (String channel : routes.keySet()) statement.execute("LISTEN \"" + channel + "\"");
                }
                if (everListened) reconnects.incrementAndGet();
                everListened = true;
                listeningSince = Instant.now();
                state = State.LISTENING;
                backoff = minBackoff.toMillis();
                log.info("pg bridge listening url={} channels={} reconnects={}", url.redacted(), routes.keySet(), reconnects.get());
                listen(connection, pg);
            } catch (SQLException | RuntimeException e) {
                if (closed) break;
                lastError = e.getMessage();
                lastErrorAt = Instant.now();
                State was = state;
                state = everListened ? State.RECONNECTING : State.CONNECTING;
                if (was == State.LISTENING) {
                    log.warn("pg bridge connection lost url={} error={}", url.redacted(), e.getMessage());
                } else {
                    log.debug("pg bridge connect failed url={} error={} retryMs={}", url.redacted(), e.getMessage(), backoff);
                }
            } finally {
                current = null;
            }
            if (closed) break;
            sleep(backoff);
            backoff = Math.min(maxBackoff.toMillis(), backoff * 2);
        }
        state = State.STOPPED;
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.putAll(url.credentials());
        props.setProperty("ApplicationName", "switchboard-pg-bridge");
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "30");
        props.setProperty("tcpKeepAlive", "true");
        Connection connection = DRIVER.connect(url.jdbcUrl(), props);
        if (connection == null) throw new SQLException("the PostgreSQL driver does not accept " + url.redacted());
        return connection;
    }

    private void listen(Connection connection, PGConnection pg) throws SQLException {
        long lastTraffic = System.nanoTime();
        while (!closed) {
            PGNotification[] batch = pg.getNotifications((int) POLL_MILLIS);
            if (batch != null && batch.length > 0) {
                lastTraffic = System.nanoTime();
                for (PGNotification n : batch) handle(n.getName(), n.getParameter());
            } else if (System.nanoTime() - lastTraffic > TimeUnit.MILLISECONDS.toNanos(LIVENESS_MILLIS)) {
                // a half-open connection (host gone without a FIN) never raises on its own: ask something
                try (Statement s = connection.createStatement()) {
                    s.execute("SELECT 1");
                }
                lastTraffic = System.nanoTime();
            }
        }
    }

    /** Relays one notification to every route of its channel. Package-private for tests. */
    void handle(String channel, String payload) {
        notifications.incrementAndGet();
        List<PgBridgeRoute> targets = routes.get(channel);
        if (targets == null) return;
        JsonNode data;
        try {
            data = payload == null || payload.isEmpty() ? null : mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            data = TextNode.valueOf(payload); // not JSON: relayed as a string, nothing lost
        }
        for (PgBridgeRoute route : targets) {
            String room = room(route.roomTemplate(), data);
            if (room == null) {
                rejected.incrementAndGet();
                long notLogged = droppedLog.pass();
                if (notLogged >= 0) {
                    log.warn("pg notification dropped channel={} reason=room_field_missing room={} notLogged={}",
                            channel, route.roomTemplate(), notLogged);
                }
                continue;
            }
            try {
                relay.relay(route.namespace(), room, route.event(), data);
                relayed.incrementAndGet();
            } catch (RuntimeException e) {
                rejected.incrementAndGet();
                long notLogged = relayFailedLog.pass();
                if (notLogged >= 0) {
                    log.warn("pg notification relay failed channel={} namespace={} room={} error={} notLogged={}", channel,
                            route.namespace(), room, e.toString(), notLogged);
                }
            }
        }
    }

    /** The room with {@code {field}} replaced by the payload's top-level string/number fields; null when one is missing. */
    static String room(String template, JsonNode payload) {
        if (template.indexOf('{') < 0) return template;
        Matcher m = FIELD.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode v = payload == null || !payload.isObject() ? null : payload.get(m.group(1));
            if (v == null || !(v.isTextual() || v.isNumber()) || v.asText().isEmpty()) return null;
            m.appendReplacement(out, Matcher.quoteReplacement(v.asText()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void sleep(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops listening and closes the connection; returns once the bridge thread ended (bounded). */
    @Override
    public void close() {
        closed = true;
        Connection c = current;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("pg bridge close error={}", e.getMessage());
            }
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = State.STOPPED;
        log.info("pg bridge stopped url={}", url.redacted());
    }

}
