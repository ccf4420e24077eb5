package dev.switchboard.namespaces.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.namespaces.core.ClientEvents;
import dev.switchboard.namespaces.core.ClientRooms;
import dev.switchboard.namespaces.core.NamespaceContext;
import dev.switchboard.namespaces.core.NamespaceDefinition;
import dev.switchboard.namespaces.core.ProducerException;
import dev.switchboard.namespaces.core.Reply;
import dev.switchboard.namespaces.core.RunningNamespace;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.HistoryReplay;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.RoomAccess;
import dev.switchboard.socketio.Socket;

/**
 * /mcp: clients {@code join}/{@code leave} rooms named by the backend (MCP server, execution, thread ids); the
 * backend reaches a room with {@code POST /emit}. Other client events go to the backend webhook when one is
 * configured ({@code MCP_FORWARD_URL}), and are refused with an error otherwise.
 */
public final class McpNamespace implements RunningNamespace {
    public static final NamespaceDefinition<McpSettings> DEFINITION =
            new NamespaceDefinition<>("/mcp", false, McpSettings::read, McpNamespace::new);
    /** Engine.IO's own query parameters: not the client's, never forwarded. */
    private static final Set<String> TRANSPORT_QUERY = Set.of("EIO", "transport", "t", "sid", "j", "b64");

    // not static: the configuration reads DEFINITION before logging is set up (see NamespaceDefinition)
    private final Logger log = LoggerFactory.getLogger(McpNamespace.class);
    private final McpSettings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final Namespace namespace;
    private final RoomAccess rooms;
    private final WebhookForwarder forwarder; // null without MCP_FORWARD_URL
    private final ClientEvents events = new ClientEvents()
            .on("join", McpNamespace::parseJoin, this::join)
            .on("leave", event -> RoomName.parse("leave", event.arg(0)), this::leave);

    /** {@code join {room, since?}} or {@code "room"}; {@code resumes}: it carried {@code since} (null included). */
    private record Join(String room, String since, boolean resumes) {
    }

    private McpNamespace(McpSettings settings, NamespaceContext context) {
        this.settings = settings;
        this.namespace = context.namespace();
        this.rooms = context.rooms();
        if (settings.historySize() > 0) {
            // backend rooms only: a room named like a connected socket's id is that socket's private room
            namespace.history(room -> namespace.socket(room) == null, settings.historySize(),
                    settings.historyMaxAge().isZero() ? null : settings.historyMaxAge(), settings.historyMaxBytes());
        }
        if (settings.forwardUrl() != null) {
            forwarder = new WebhookForwarder(settings);
            log.info("mcp forwarding on url={}", settings.forwardUrl());
        } else {
            forwarder = null;
        }
        Map<String, Object> greeting = new LinkedHashMap<>();
        greeting.put("namespace", namespace.name());
        greeting.put("events", events.names());
        greeting.put("emits", List.of("joined", "left", "error"));
        greeting.put("forwarding", forwarder != null);
        greeting.put("maxRooms", settings.maxRoomsPerSocket());
        namespace.onConnection(socket -> {
            if (asksForOffsets(socket)) {
                socket.requestOffsets();
            }
            events.attach(socket);
            socket.onAny(event -> ClientEvents.run(event, this::other));
            socket.emit("connected", greeting);
        });
    }

    /**
     * Event offsets (history ids) are opt-in: a handshake with {@code auth: {offsets: true}} (or the query
     * {@code offsets=true}), or a {@code join} carrying {@code since}. Other clients get exactly what the backend
     * posted.
     */
    private static boolean asksForOffsets(Socket socket) {
        JsonNode auth = socket.handshake().auth();
        JsonNode flag = auth == null ? null : auth.get("offsets");
        return flag != null && flag.isBoolean() && flag.booleanValue()
                || "true".equals(socket.handshake().query("offsets"));
    }

    /**
     * {@code join {room, since?}}: when the namespace keeps a history of the room (see
     * {@code Namespace#history}), the client gets {@code joined}, then the room's kept events after {@code since}
     * (the offset: last argument of the last event it saw; all kept ones without it), then live ones; the ack
     * adds {@code replayed} and {@code complete} (false when some events since then are no longer kept). A join
     * with {@code since} (a string offset, or null for everything kept) turns offsets on for the socket.
     */
    private static Join parseJoin(Event event) throws ProducerException {
        JsonNode arg = event.arg(0);
        return new Join(RoomName.parse("join", arg), since(arg), arg.isObject() && arg.has("since"));
    }

    private Reply join(Socket socket, Join join) throws ProducerException {
        String room = join.room();
        ClientRooms.check(rooms, socket, room);
        Set<String> rooms = socket.rooms();
        if (!rooms.contains(room) && rooms.size() - 1 >= settings.maxRoomsPerSocket()) {
            throw new ProducerException("LIMIT_EXCEEDED", "at most " + settings.maxRoomsPerSocket()
                    + " rooms per connection; leave one first");
        }
        if (join.resumes()) {
            socket.requestOffsets(); // it resumes from offsets, so it needs them from now on
        }
        if (namespace.hasHistory(room)) {
            socket.emit("joined", Map.of("room", room));
            HistoryReplay replay = namespace.replayHistory(socket, room, join.since());
            return Reply.ok("room", room).with("replayed", replay.replayed()).with("complete", replay.complete());
        }
        socket.join(room);
        return reply(socket, "joined", room);
    }

    /** The optional {@code since} offset of a join; null when absent. */
    private static String since(JsonNode arg) throws ProducerException {
        JsonNode since = arg.isObject() ? arg.get("since") : null;
        if (since == null || since.isNull()) {
            return null;
        }
        String text = since.isTextual() ? since.textValue() : "";
        if (!text.matches("[0-9]{1,18}-[0-9a-z]{1,16}")) { // "<sequence>-<epoch>", see Namespace#replayHistory
            throw new ProducerException("BAD_REQUEST", "since must be an event offset (the last argument of an event)");
        }
        return text;
    }

    private Reply leave(Socket socket, String room) {
        if (!room.equals(socket.id())) {
            socket.leave(room);
        }
        return reply(socket, "left", room);
    }

    private static Reply reply(Socket socket, String name, String room) {
        socket.emit(name, Map.of("room", room));
        return Reply.ok("room", room);
    }

    /** Any other client event: forwarded to the backend webhook when configured. */
    private Reply other(Socket socket, Event event) throws ProducerException {
        if (forwarder == null) {
            throw new ProducerException("UNKNOWN_EVENT", namespace.name() + " handles join and leave; event '"
                    + event.name() + "' is not forwarded (no MCP_FORWARD_URL configured)");
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(envelope(event));
        } catch (JsonProcessingException e) {
            throw new ProducerException("BAD_REQUEST", "event arguments cannot be forwarded as JSON");
        }
        forwarder.offer(body);
        return Reply.ok("queued", true);
    }

    private Map<String, Object> envelope(Event event) {
        Socket socket = event.socket();
        Map<String, Object> query = new LinkedHashMap<>();
        socket.handshake().queryParams().forEach((name, values) -> {
            if (!TRANSPORT_QUERY.contains(name) && values != null && !values.isEmpty()) {
                query.put(name, values.get(0));
            }
        });
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("namespace", namespace.name());
        envelope.put("socketId", socket.id());
        envelope.put("event", event.name());
        envelope.put("args", event.args());
        envelope.put("query", query);
        envelope.put("timestamp", System.currentTimeMillis());
        return envelope;
    }

    /** Upstreams this namespace runs: none (rooms are fed by POST /emit). */
    @Override
    public int activeStreams() {
        return 0;
    }

    /** Forwarding counters for /health and tests: delivered, dropped (queue full), failed (gave up), retries. */
    public Map<String, Long> forwardingStats() {
        if (forwarder == null) {
            return Map.of();
        }
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("delivered", forwarder.delivered());
        stats.put("dropped", forwarder.dropped());
        stats.put("failed", forwarder.failed());
        stats.put("retries", forwarder.retries());
        stats.put("queued", (long) forwarder.queued());
        return stats;
    }

    @Override
    public void close() {
        if (forwarder != null) {
            forwarder.close();
        }
    }
}
