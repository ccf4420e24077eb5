package dev.switchboard.redis;

import java.util.Collection;
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

import dev.switchboard.redis.RedisSettings.SubscriptionMode;
import dev.switchboard.socketio.BroadcastOptions;
import dev.switchboard.socketio.BroadcastPacket;

/**
 * One namespace's side of the sharded adapter mode, as @socket.io/redis-adapter's {@code createShardedAdapter}:
 * channel names ({@code <prefix>#<nsp>#} for the namespace, {@code <prefix>#<nsp>#<room>#} per room,
 * {@code <prefix>#<nsp>#<uid>#} for answers to this node), which broadcast goes on which channel, which rooms get
 * their own subscription, and the ClusterAdapter messages this node sends, answers and applies.
 */
final class ShardedMessages {
    private static final Logger log = LoggerFactory.getLogger(ShardedMessages.class);
    /** Node's looksLikeASocketId: its ids (and ours) are 20 characters. */
    private static final int SOCKET_ID_LENGTH = 20;

    private final RedisAdapter adapter;
    private final RedisCluster cluster;
    private final RejectLog rejects;
    private final ObjectMapper mapper;
    private final SubscriptionMode mode;
    private final String mainChannel;

    ShardedMessages(RedisAdapter adapter, RedisCluster cluster, RejectLog rejects) {
        this.adapter = adapter;
        this.cluster = cluster;
        this.rejects = rejects;
        this.mapper = cluster.mapper();
        this.mode = cluster.settings().subscriptionMode();
        this.mainChannel = cluster.channels().broadcast(adapter.nsp());
    }

    String mainChannel() {
        return mainChannel;
    }

    String responseChannel() {
        return mainChannel + cluster.nodeId() + "#";
    }

    String roomChannel(String room) {
        return mainChannel + room + "#";
    }

    /** Whether {@code room} gets its own channel while it has members here (Node's shouldUseASeparateNamespace). */
    boolean ownChannel(String room, boolean isSocketId) {
        return (mode == SubscriptionMode.DYNAMIC && !isSocketId) || mode == SubscriptionMode.DYNAMIC_PRIVATE;
    }

    /** Node's computeChannel: a one-room broadcast without ack on the room's channel (dynamic modes). */
    String broadcastChannel(BroadcastOptions options) {
        if (options.rooms().size() == 1) {
            String room = options.rooms().iterator().next();
            if ((mode == SubscriptionMode.DYNAMIC && room.length() != SOCKET_ID_LENGTH)
                    || mode == SubscriptionMode.DYNAMIC_PRIVATE) {
                return roomChannel(room);
            }
        }
        return mainChannel;
    }

    // ------------------------------------------------------------------ outgoing

    byte[] broadcast(BroadcastPacket packet, BroadcastOptions options) {
        ObjectNode data = mapper.createObjectNode();
        ObjectNode p = data.putObject("packet").put("type", 2);
        ArrayNode args = p.putArray("data").add(packet.event());
        for (Object arg : packet.payload()) { // an offset is this node's own: never sent to others
            args.add(mapper.valueToTree(arg));
        }
        p.put("nsp", packet.namespace());
        ObjectNode opts = options(options.rooms(), options.except());
        if (options.droppable()) {
            ((ObjectNode) opts.get("flags")).put("volatile", true);
        }
        data.set("opts", opts);
        return message(ClusterMessage.BROADCAST, data);
    }

    byte[] socketsJoin(Set<String> rooms, Set<String> except, Collection<String> join) {
        ObjectNode data = mapper.createObjectNode();
        data.set("opts", options(rooms, except));
        data.set("rooms", strings(join));
        return message(ClusterMessage.SOCKETS_JOIN, data);
    }

    byte[] socketsLeave(Set<String> rooms, Set<String> except, Collection<String> leave) {
        ObjectNode data = mapper.createObjectNode();
        data.set("opts", options(rooms, except));
        data.set("rooms", strings(leave));
        return message(ClusterMessage.SOCKETS_LEAVE, data);
    }

    byte[] disconnectSockets(Set<String> rooms, Set<String> except, boolean close) {
        ObjectNode data = mapper.createObjectNode();
        data.set("opts", options(rooms, except));
        data.put("close", close);
        return message(ClusterMessage.DISCONNECT_SOCKETS, data);
    }

    private byte[] message(int type, JsonNode data) {
        return ClusterMessage.encode(cluster.nodeId(), adapter.nsp(), type, data, mapper);
    }

    private ObjectNode options(Set<String> rooms, Set<String> except) {
        ObjectNode opts = mapper.createObjectNode();
        opts.set("rooms", strings(rooms));
        opts.set("except", strings(except));
        opts.putObject("flags");
        return opts;
    }

    private ArrayNode strings(Collection<String> values) {
        ArrayNode array = mapper.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    // ------------------------------------------------------------------ incoming (Lettuce I/O thread)

    void handle(byte[] bytes) {
        ClusterMessage message;
        try {
            message = ClusterMessage.decode(bytes, mapper);
        } catch (MalformedMessageException e) {
            rejects.reject(mainChannel, e.getMessage());
            return;
        }
        if (cluster.nodeId().equals(message.uid())) {
            return; // our own, already applied here
        }
        if (!adapter.nsp().equals(message.nsp())) {
            rejects.reject(mainChannel, "message namespace " + message.nsp() + " does not match " + adapter.nsp());
            return;
        }
        try {
            switch (message.type()) {
                case ClusterMessage.BROADCAST -> broadcast(message);
                case ClusterMessage.SOCKETS_JOIN -> adapter.joinLocal(rooms(opts(message), "rooms"),
                        rooms(opts(message), "except"), rooms(message.data(), "rooms"));
                case ClusterMessage.SOCKETS_LEAVE -> adapter.leaveLocal(rooms(opts(message), "rooms"),
                        rooms(opts(message), "except"), rooms(message.data(), "rooms"));
                case ClusterMessage.DISCONNECT_SOCKETS -> adapter.disconnectLocal(rooms(opts(message), "rooms"),
                        rooms(opts(message), "except"), Boolean.TRUE.equals(message.field("close")));
                case ClusterMessage.FETCH_SOCKETS -> answerFetch(message);
                default -> log.debug("event=redis_message_ignored type={} namespace={}", message.type(), adapter.nsp());
            }
        } catch (MalformedMessageException e) {
            rejects.reject(mainChannel, e.getMessage());
        }
    }

    private void broadcast(ClusterMessage message) throws MalformedMessageException {
        BroadcastMessage decoded = BroadcastMessage.of(message.uid(), message.field("packet"), message.field("opts"),
                adapter.nsp());
        if (!adapter.nsp().equals(decoded.nsp())) {
            throw new MalformedMessageException("packet namespace " + decoded.nsp() + " does not match " + adapter.nsp());
        }
        if (!message.has("requestId")) {
            adapter.deliverRemote(decoded);
            return;
        }
        // a Node broadcast waiting for client acks: delivered without the ack, answered with 0 clients so it ends
        adapter.deliverRemote(decoded);
        ObjectNode data = mapper.createObjectNode().put("clientCount", 0);
        data.set("requestId", mapper.valueToTree(message.field("requestId")));
        respond(message.uid(), ClusterMessage.BROADCAST_CLIENT_COUNT, data);
    }

    private void answerFetch(ClusterMessage message) throws MalformedMessageException {
        Map<?, ?> opts = opts(message);
        Set<String> ids = adapter.select(rooms(opts, "rooms"), rooms(opts, "except"));
        ObjectNode data = mapper.createObjectNode();
        data.set("requestId", mapper.valueToTree(message.field("requestId")));
        RequestHandler.describeSockets(adapter, ids, data.putArray("sockets"), mapper);
        respond(message.uid(), ClusterMessage.FETCH_SOCKETS_RESPONSE, data);
    }

    private void respond(String requester, int type, ObjectNode data) {
        if (requester == null || requester.indexOf('#') >= 0) {
            return;
        }
        cluster.publish(mainChannel + requester + "#", message(type, data));
    }

    private static Map<?, ?> opts(ClusterMessage message) throws MalformedMessageException {
        Object opts = message.field("opts");
        if (opts == null) {
            return Map.of();
        }
        if (!(opts instanceof Map<?, ?> map)) {
            throw new MalformedMessageException("opts is not an object");
        }
        return map;
    }

    private static Set<String> rooms(Map<?, ?> parent, String field) throws MalformedMessageException {
        Object value = parent.get(field);
        if (value == null) {
            return Set.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new MalformedMessageException(field + " is not an array");
        }
        Set<String> rooms = new HashSet<>(list.size() * 2);
        for (Object room : list) {
            if (!(room instanceof String) && !(room instanceof Number)) {
                throw new MalformedMessageException(field + " holds a room that is not a string");
            }
            rooms.add(String.valueOf(room));
        }
        return rooms;
    }
}
