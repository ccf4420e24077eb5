package dev.switchboard.redis;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Server-side join, leave and disconnect of sockets on any node, like Node's {@code io.in(rooms).socketsJoin},
 * {@code socketsLeave}, {@code disconnectSockets}. Sockets are selected by rooms (every socket of the
 * namespace when {@code rooms} is empty) minus {@code except}; a single socket is selected by its id, which
 * is also a room. Applied on this node at once, then published on the namespace's request channel in the
 * @socket.io/redis-adapter request format (JSON), so Node servers on that adapter apply it too.
 * The future completes with whether Redis took the request (false: applied on this node only).
 */
public final class ClusterOperations {
    static final int REMOTE_JOIN = 2;
    static final int REMOTE_LEAVE = 3;
    static final int REMOTE_DISCONNECT = 4;

    /** Sharded mode, a namespace not declared on this node: no adapter, so no channel of its own to publish on. */
    private static final CompletableFuture<Boolean> NOT_PUBLISHED = CompletableFuture.completedFuture(false);

    private final RedisCluster cluster;

    ClusterOperations(RedisCluster cluster) {
        this.cluster = cluster;
    }

    public CompletableFuture<Boolean> socketsJoin(String namespace, Set<String> rooms, Set<String> except,
                                                  Collection<String> join) {
        RedisAdapter local = cluster.adapter(namespace);
        if (local != null) {
            local.joinLocal(rooms, except, join);
        }
        if (cluster.settings().sharded()) {
            return local == null ? NOT_PUBLISHED
                    : cluster.publish(local.sharded().mainChannel(), local.sharded().socketsJoin(rooms, except, join));
        }
        return publish(namespace, request(REMOTE_JOIN, rooms, except).set("rooms", strings(join)));
    }

    public CompletableFuture<Boolean> socketsLeave(String namespace, Set<String> rooms, Set<String> except,
                                                   Collection<String> leave) {
        RedisAdapter local = cluster.adapter(namespace);
        if (local != null) {
            local.leaveLocal(rooms, except, leave);
        }
        if (cluster.settings().sharded()) {
            return local == null ? NOT_PUBLISHED
                    : cluster.publish(local.sharded().mainChannel(), local.sharded().socketsLeave(rooms, except, leave));
        }
        return publish(namespace, request(REMOTE_LEAVE, rooms, except).set("rooms", strings(leave)));
    }

    /** @param close also close the underlying connection (all its namespaces), as Node's {@code disconnect(true)} */
    public CompletableFuture<Boolean> disconnectSockets(String namespace, Set<String> rooms, Set<String> except,
                                                        boolean close) {
        RedisAdapter local = cluster.adapter(namespace);
        if (local != null) {
            local.disconnectLocal(rooms, except, close);
        }
        if (cluster.settings().sharded()) {
            return local == null ? NOT_PUBLISHED
                    : cluster.publish(local.sharded().mainChannel(), local.sharded().disconnectSockets(rooms, except, close));
        }
        return publish(namespace, request(REMOTE_DISCONNECT, rooms, except).put("close", close));
    }

    /** The socket with this id joins {@code room}, on whichever node it is connected (Node: remoteJoin). */
    public CompletableFuture<Boolean> remoteJoin(String namespace, String socketId, String room) {
        return socketsJoin(namespace, Set.of(socketId), Set.of(), List.of(room));
    }

    public CompletableFuture<Boolean> remoteLeave(String namespace, String socketId, String room) {
        return socketsLeave(namespace, Set.of(socketId), Set.of(), List.of(room));
    }

    public CompletableFuture<Boolean> remoteDisconnect(String namespace, String socketId, boolean close) {
        return disconnectSockets(namespace, Set.of(socketId), Set.of(), close);
    }

    private ObjectNode request(int type, Set<String> rooms, Set<String> except) {
        ObjectNode node = cluster.mapper().createObjectNode().put("uid", cluster.nodeId()).put("type", type);
        ObjectNode opts = node.putObject("opts");
        opts.set("rooms", strings(rooms));
        opts.set("except", strings(except));
        return node;
    }

    private com.fasterxml.jackson.databind.node.ArrayNode strings(Collection<String> values) {
        com.fasterxml.jackson.databind.node.ArrayNode array = cluster.mapper().createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private CompletableFuture<Boolean> publish(String namespace, com.fasterxml.jackson.databind.JsonNode request) {
        return cluster.publish(cluster.channels().request(namespace),
                request.toString().getBytes(StandardCharsets.UTF_8));
    }
}
