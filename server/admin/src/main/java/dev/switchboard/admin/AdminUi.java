package dev.switchboard.admin;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.mindrot.jbcrypt.BCrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.socketio.SocketObserver;

/**
 * The namespace the official Socket.IO Admin UI (@socket.io/admin-ui 0.5) talks to, plus the UI's files.
 * Off by default: {@code AdminUi.install(io, AdminUiOptions.builder().basicAuth(user, bcryptHash).build())}
 * before {@code io.start()}, then open {@code http://host:port/admin-ui/} and connect to the server's URL.
 *
 * <p>Speaks the UI's protocol: {@code session} (after a password login), {@code config} (supported features),
 * {@code all_sockets}, {@code server_stats} every 2 s, {@code socket_connected}, {@code socket_disconnected},
 * {@code room_joined}, {@code room_left}; commands {@code emit}, {@code join}, {@code leave},
 * {@code _disconnect} (unless readonly). Commands naming an undeclared namespace are ignored (never declared).
 */
public final class AdminUi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminUi.class);
    private static final int MAX_ROOM = 256;

    private final SocketIoServer io;
    private final AdminUiOptions options;
    private final Namespace admin;
    private final SocketSerializer serializer;
    private final AdminSessions sessions = new AdminSessions();
    private final LoginThrottle logins;
    /** Session ids minted by the middleware, sent once the socket is admitted (never kept in socket data). */
    private final Map<String, String> newSessions = new java.util.concurrent.ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Map<String, Object> baseStats = new LinkedHashMap<>();
    private final List<String> features;

    private AdminUi(SocketIoServer io, AdminUiOptions options) {
        this.io = io;
        this.options = options;
        this.serializer = new SocketSerializer(new ObjectMapper(), options.trustProxy());
        this.admin = io.of(options.namespace());
        this.logins = new LoginThrottle(options.loginBackoff(), options.loginBackoffMax(), options.maxConcurrentLoginChecks());
        this.features = options.readonly() ? List.of()
                : List.of("EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT");
        String hostname = hostname();
        baseStats.put("serverId", options.serverId() != null ? options.serverId() : hostname);
        baseStats.put("hostname", hostname);
        baseStats.put("pid", ProcessHandle.current().pid());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "admin-ui-stats");
            t.setDaemon(true);
            return t;
        });
    }

    /** Declares the admin namespace (and the UI's route when {@code uiPath} is set). Call before {@code io.start()}. */
    public static AdminUi install(SocketIoServer io, AdminUiOptions options) {
        if (io.started()) {
            throw new IllegalStateException("install the Admin UI before starting the server");
        }
        AdminUi ui = new AdminUi(io, options);
        ui.setUp();
        return ui;
    }

    private void setUp() {
        if (options.authRequired()) {
            admin.use(this::authenticate);
        } else {
            log.warn("event=admin_ui_without_auth namespace={}", options.namespace());
        }
        admin.onConnection(this::onAdminConnection);
        io.observe(new Updates());
        if (options.uiPath() != null) {
            io.engine().routePrefix("GET", options.uiPath(), new AdminStaticFiles(options.uiPath()));
        }
        long every = options.statsInterval().toMillis();
        timer.scheduleAtFixedRate(this::emitStats, every, every, TimeUnit.MILLISECONDS);
        log.info("event=admin_ui_installed namespace={} auth={} readonly={} uiPath={}", options.namespace(),
                options.authRequired() ? "basic" : "none", options.readonly(), options.uiPath());
    }

    private void authenticate(Socket socket) throws ConnectError {
        JsonNode auth = socket.handshake().auth();
        if (auth.path("sessionId").isTextual() && sessions.exists(auth.get("sessionId").textValue())) {
            return;
        }
        JsonNode user = auth.path("username");
        JsonNode password = auth.path("password");
        String address = socket.handshake().clientAddress(options.trustProxy());
        LoginThrottle.Result result = logins.attempt(address, () -> user.isTextual() && password.isTextual()
                && user.textValue().equals(options.username()) && password.textValue().length() <= 72
                && BCrypt.checkpw(password.textValue(), options.passwordHash()));
        switch (result.outcome()) {
            case ACCEPTED -> newSessions.put(socket.id(), sessions.create());
            case REJECTED -> {
                log.info("event=admin_ui_auth_failed address={}", address);
                throw new ConnectError("invalid credentials");
            }
            case BACKING_OFF -> {
                long retryAfterMs = result.retryAfter().toMillis();
                log.info("event=admin_ui_auth_throttled address={} retryAfterMs={}", address, retryAfterMs);
                throw new ConnectError("too many failed logins: retry in " + (retryAfterMs + 999) / 1000 + " s",
                        Map.of("code", "RATE_LIMITED", "retryAfterMs", retryAfterMs));
            }
            case BUSY -> {
                log.info("event=admin_ui_auth_busy address={}", address);
                throw new ConnectError("too many logins being checked: retry shortly", Map.of("code", "BUSY"));
            }
        }
    }

    /** Password checks run so far (failed and successful). */
    long passwordChecks() {
        return logins.checksRun();
    }

    private void onAdminConnection(Socket socket) {
        String session = newSessions.remove(socket.id());
        if (session != null) {
            socket.emit("session", session);
        }
        if (!options.readonly()) {
            socket.on("emit", this::onEmit);
            socket.on("join", ev -> onMembership(ev, true));
            socket.on("leave", ev -> onMembership(ev, false));
            socket.on("_disconnect", this::onDisconnectCommand);
        }
        socket.emit("config", Map.of("supportedFeatures", features));
        socket.emit("all_sockets", allSockets());
        emitStats();
    }

    private List<Map<String, Object>> allSockets() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Namespace ns : io.namespaces()) {
            for (Socket s : ns.sockets()) {
                all.add(serializer.serialize(s));
            }
        }
        return all;
    }

    private void emitStats() {
        try {
            Map<String, Object> stats = new LinkedHashMap<>(baseStats);
            stats.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
            stats.put("clientsCount", io.engine().clientsCount());
            List<Map<String, Object>> namespaces = new ArrayList<>();
            for (Namespace ns : io.namespaces()) {
                namespaces.add(Map.of("name", ns.name(), "socketsCount", ns.socketCount()));
            }
            stats.put("namespaces", namespaces);
            admin.emit("server_stats", stats);
        } catch (RuntimeException e) {
            log.warn("event=admin_ui_stats_failed error={}", e.toString());
        }
    }

    // ---- commands (validated: bad input is logged and ignored, like Node ignores unknown namespaces) ----

    private void onEmit(Event ev) {
        Namespace ns = namespace(ev, "emit");
        JsonNode filterArg = ev.arg(1);
        String filter = optionalRoom(filterArg);
        boolean toAll = filterArg.isNull() || filterArg.isMissingNode() || filterArg.isTextual() && filterArg.textValue().isEmpty();
        JsonNode name = ev.arg(2);
        if (ns == null || filter == null && !toAll || !name.isTextual()) {
            refuse(ev, "expects (nsp, filter?, event, ...args)");
            return;
        }
        Object[] args = ev.args().subList(3, Math.max(3, ev.args().size())).toArray();
        try {
            if (filter != null) {
                ns.to(filter).emit(name.textValue(), args);
            } else {
                ns.emit(name.textValue(), args);
            }
        } catch (IllegalArgumentException reserved) {
            refuse(ev, reserved.getMessage());
        }
    }

    private void onMembership(Event ev, boolean join) {
        Namespace ns = namespace(ev, ev.name());
        String room = optionalRoom(ev.arg(1));
        String filter = optionalRoom(ev.arg(2));
        if (ns == null || room == null) {
            refuse(ev, "expects (nsp, room, filter?)");
            return;
        }
        for (Socket target : targets(ns, filter)) {
            if (join) {
                target.join(room);
            } else {
                target.leave(room);
            }
        }
    }

    private void onDisconnectCommand(Event ev) {
        Namespace ns = namespace(ev, "_disconnect");
        if (ns == null) {
            refuse(ev, "expects (nsp, close, filter?)");
            return;
        }
        boolean close = ev.arg(1).asBoolean(false);
        for (Socket target : targets(ns, optionalRoom(ev.arg(2)))) {
            target.disconnect(close);
        }
    }

    private static List<Socket> targets(Namespace ns, String filter) {
        if (filter == null) {
            return List.copyOf(ns.sockets());
        }
        List<Socket> out = new ArrayList<>();
        for (String id : ns.adapter().sockets(java.util.Set.of(filter))) {
            Socket s = ns.socket(id);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private Namespace namespace(Event ev, String command) {
        JsonNode nsp = ev.arg(0);
        if (!nsp.isTextual()) {
            return null;
        }
        for (Namespace ns : io.namespaces()) {
            if (ns.name().equals(nsp.textValue())) {
                return ns;
            }
        }
        return null;
    }

    private static String optionalRoom(JsonNode node) {
        return node.isTextual() && !node.textValue().isEmpty() && node.textValue().length() <= MAX_ROOM
                ? node.textValue() : null;
    }

    private static void refuse(Event ev, String why) {
        log.info("event=admin_ui_command_ignored command={} socketId={} reason=\"{}\"", ev.name(), ev.socket().id(), why);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    /** Stops the stats timer (the namespace stays declared). */
    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** Pushes socket and room changes of every namespace to the admin namespace. */
    private final class Updates implements SocketObserver {
        @Override
        public void connected(Socket socket) {
            admin.emit("socket_connected", serializer.serialize(socket));
        }

        @Override
        public void disconnected(Socket socket, String reason) {
            admin.emit("socket_disconnected", socket.namespace().name(), socket.id(), reason);
        }

        @Override
        public void joined(Namespace namespace, String room, String socketId) {
            admin.emit("room_joined", namespace.name(), room, socketId);
        }

        @Override
        public void left(Namespace namespace, String room, String socketId) {
            admin.emit("room_left", namespace.name(), room, socketId);
        }
    }
}
