package dev.switchboard.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.socketio.BroadcastOptions;
import dev.switchboard.socketio.BroadcastPacket;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;

/**
 * Requests on {@code <prefix>-request#<nsp>#} in the @socket.io/redis-adapter format (JSON, or MessagePack for
 * BROADCAST with ack): join/leave/disconnect by selector (emitter, Node servers, our {@link ClusterOperations})
 * or by socket id (older Node remoteJoin API), and the queries a Node server sends to every subscriber
 * (SOCKETS, ALL_ROOMS, REMOTE_FETCH) which must be answered or its fetchSockets()/allRooms() time out.
 */
final class RequestHandler {
    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

    static final int SOCKETS = 0;
    static final int ALL_ROOMS = 1;
    static final int REMOTE_JOIN = 2;
    static final int REMOTE_LEAVE = 3;
    static final int REMOTE_DISCONNECT = 4;
    static final int REMOTE_FETCH = 5;
    static final int SERVER_SIDE_EMIT = 6;
    static final int BROADCAST = 7;
    static final int BROADCAST_CLIENT_COUNT = 8;

    private final RedisAdapter adapter;
    private final RedisCluster cluster;
    private final RejectLog rejects;
    private final ObjectMapper mapper;
    private final String requestChannel;
    private final String responseChannel;

    RequestHandler(RedisAdapter adapter, RedisCluster cluster, RejectLog rejects) {
        this.adapter = adapter;
        this.cluster = cluster;
        this.rejects = rejects;
        this.mapper = cluster.mapper();
        this.requestChannel = cluster.channels().request(adapter.nsp());
        this.responseChannel = cluster.channels().response(adapter.nsp());
    }

    void handle(byte[] message) {
        JsonNode request;
        try {
            request = parse(message);
        } catch (MalformedMessageException e) {
            rejects.reject(requestChannel, e.getMessage());
            return;
        }
        if (!request.isObject() || !request.path("type").isIntegralNumber()) {
            rejects.reject(requestChannel, "request is not an object with a numeric type");
            return;
        }
        boolean own = cluster.nodeId().equals(request.path("uid").asText(null));
        int type = request.path("type").asInt();
        try {
            switch (type) {
                case SOCKETS -> { if (!own) answerSockets(request); }
                case ALL_ROOMS -> { if (!own) answerAllRooms(request); }
                case REMOTE_JOIN -> { if (!own) join(request); }
                case REMOTE_LEAVE -> { if (!own) leave(request); }
                case REMOTE_DISCONNECT -> { if (!own) disconnect(request); }
                case REMOTE_FETCH -> { if (!own) answerFetch(request); }
                case BROADCAST -> { if (!own) broadcastWithoutAck(request); }
                case SERVER_SIDE_EMIT -> log.debug("event=redis_request_ignored type=serverSideEmit namespace={}", adapter.nsp());
                default -> log.debug("event=redis_request_ignored type={} namespace={}", type, adapter.nsp());
            }
        } catch (MalformedMessageException e) {
            rejects.reject(requestChannel, e.getMessage());
        }
    }

    private JsonNode parse(byte[] message) throws MalformedMessageException {
        if (message.length == 0) {
            throw new MalformedMessageException("empty request");
        }
        if (message[0] == '{') {
            try {
                return mapper.readTree(message);
            } catch (IOException e) {
                throw new MalformedMessageException("request is not valid JSON");
            }
        }
        JsonNode decoded = MsgPack.decodeTree(message);
        if (!decoded.isObject()) {
            throw new MalformedMessageException("MessagePack request is not a map");
        }
        return decoded;
    }

    // ------------------------------------------------------------------ join / leave / disconnect

    private void join(JsonNode request) throws MalformedMessageException {
        if (request.has("opts")) {
            adapter.joinLocal(rooms(request.path("opts"), "rooms"), rooms(request.path("opts"), "except"),
                    rooms(request, "rooms"));
            return;
        }
        String sid = text(request, "sid");
        String room = text(request, "room");
        if (adapter.sockets(Set.of(sid)).isEmpty()) {
            return; // not here: the node holding it answers
        }
        adapter.addAll(sid, Set.of(room));
        respond(request, mapper.createObjectNode());
    }

    private void leave(JsonNode request) throws MalformedMessageException {
        if (request.has("opts")) {
            adapter.leaveLocal(rooms(request.path("opts"), "rooms"), rooms(request.path("opts"), "except"),
                    rooms(request, "rooms"));
            return;
        }
        String sid = text(request, "sid");
        String room = text(request, "room");
        if (adapter.sockets(Set.of(sid)).isEmpty()) {
            return;
        }
        adapter.del(sid, room);
        respond(request, mapper.createObjectNode());
    }

    private void disconnect(JsonNode request) throws MalformedMessageException {
        boolean close = request.path("close").asBoolean(false);
        if (request.has("opts")) {
            adapter.disconnectLocal(rooms(request.path("opts"), "rooms"), rooms(request.path("opts"), "except"), close);
            return;
        }
        String sid = text(request, "sid");
        if (adapter.disconnectLocal(Set.of(sid), Set.of(), close) > 0) {
            respond(request, mapper.createObjectNode());
        }
    }

    // ------------------------------------------------------------------ queries from Node servers

    private void answerSockets(JsonNode request) throws MalformedMessageException {
        ObjectNode response = mapper.createObjectNode();
        ArrayNode sockets = response.putArray("sockets");
        adapter.sockets(rooms(request, "rooms")).forEach(sockets::add);
        respond(request, response);
    }

    private void answerAllRooms(JsonNode request) {
        ObjectNode response = mapper.createObjectNode();
        ArrayNode rooms = response.putArray("rooms");
        adapter.roomSizes().keySet().forEach(rooms::add);
        respond(request, response);
    }

    private void answerFetch(JsonNode request) throws MalformedMessageException {
        Set<String> ids = adapter.select(rooms(request.path("opts"), "rooms"), rooms(request.path("opts"), "except"));
        ObjectNode response = mapper.createObjectNode();
        describeSockets(adapter, ids, response.putArray("sockets"), mapper);
        respond(request, response);
    }

    /** Node's fetchSockets() element for each local socket: {id, handshake, rooms, data}. */
    static void describeSockets(RedisAdapter adapter, Set<String> ids, ArrayNode sockets, ObjectMapper mapper) {
        Namespace namespace = adapter.namespace();
        for (String id : ids) {
            Socket socket = namespace == null ? null : namespace.socket(id);
            if (socket == null) {
                continue;
            }
            ObjectNode s = sockets.addObject().put("id", id);
            s.set("handshake", handshake(socket.handshake(), mapper));
            ArrayNode rooms = s.putArray("rooms");
            adapter.socketRooms(id).forEach(rooms::add);
            JsonNode data;
            try {
                data = mapper.valueToTree(socket.data());
            } catch (IllegalArgumentException e) {
                data = mapper.createObjectNode(); // attributes that do not serialize stay on this node
            }
            s.set("data", data);
        }
    }

    /** Node's handshake shape, from what our Handshake exposes (headers are not enumerable here). */
    private static JsonNode handshake(Handshake h, ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        node.putObject("headers");
        node.put("time", Instant.ofEpochMilli(h.issued()).toString());
        node.put("address", h.address() == null ? "" : h.address().getAddress().getHostAddress());
        node.put("xdomain", h.header("origin") != null);
        node.put("secure", h.secure());
        node.put("issued", h.issued());
        node.put("url", "");
        ObjectNode query = node.putObject("query");
        for (Map.Entry<String, List<String>> q : h.queryParams().entrySet()) {
            if (!q.getValue().isEmpty()) {
                query.put(q.getKey(), q.getValue().get(0));
            }
        }
        node.set("auth", h.auth() == null || h.auth().isMissingNode() ? mapper.createObjectNode() : h.auth());
        return node;
    }

    /**
     * A Node server's broadcast that waits for client acks: delivered here without the ack (our adapter cannot
     * collect client acks), and answered with a client count of 0 so the sender does not wait for them.
     */
    private void broadcastWithoutAck(JsonNode request) throws MalformedMessageException {
        JsonNode packet = request.path("packet");
        JsonNode data = packet.path("data");
        if (!data.isArray() || data.isEmpty() || !data.get(0).isTextual()) {
            throw new MalformedMessageException("BROADCAST packet data must be [event name, ...args]");
        }
        List<Object> args = new java.util.ArrayList<>(data.size() - 1);
        for (int i = 1; i < data.size(); i++) {
            args.add(data.get(i));
        }
        JsonNode opts = request.path("opts");
        adapter.broadcast(new BroadcastPacket(adapter.nsp(), data.get(0).textValue(), args),
                new BroadcastOptions(rooms(opts, "rooms"), rooms(opts, "except"), false, true));
        respond(request, mapper.createObjectNode().put("type", BROADCAST_CLIENT_COUNT).put("clientCount", 0));
    }

    private void respond(JsonNode request, ObjectNode response) {
        JsonNode requestId = request.get("requestId");
        if (requestId == null || requestId.isNull()) {
            return; // fire-and-forget request (emitter, opts form)
        }
        response.set("requestId", requestId);
        cluster.publish(responseChannel, response.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Set<String> rooms(JsonNode parent, String field) throws MalformedMessageException {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return Set.of();
        }
        if (!value.isArray()) {
            throw new MalformedMessageException(field + " is not an array");
        }
        Set<String> rooms = new HashSet<>(value.size() * 2);
        for (JsonNode room : value) {
            if (!room.isTextual() && !room.isNumber()) {
                throw new MalformedMessageException(field + " holds a room that is not a string");
            }
            rooms.add(room.asText());
        }
        return rooms;
    }

    private static String text(JsonNode request, String field) throws MalformedMessageException {
        JsonNode value = request.get(field);
        if (value == null || !value.isTextual()) {
            throw new MalformedMessageException("request field " + field + " is missing or not a string");
        }
        return value.textValue();
    }
}
