package dev.switchboard.redis;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Server-side join, leave and disconnect of sockets on any node, like Node's {@code io.in(rooms).socketsJoin},
 * {@code socketsLeave}, {@code disconnectSockets}. Sockets are selected by rooms (every socket of the
 * namespace when {@code rooms} is empty) minus {@code except}; a single socket is selected by its id, which
 * is also a room. Applied on this node at once, then published for the other nodes as the adapter mode does
 * ({@link ClusterRequests}), so Node servers on @socket.io/redis-adapter apply it too.
 * The future completes with whether Redis took the request (false: applied on this node only).
 */
public final class ClusterOperations {
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
        return requests(namespace, local).socketsJoin(rooms, except, join);
    }

    public CompletableFuture<Boolean> socketsLeave(String namespace, Set<String> rooms, Set<String> except,
                                                   Collection<String> leave) {
        RedisAdapter local = cluster.adapter(namespace);
        if (local != null) {
            local.leaveLocal(rooms, except, leave);
        }
        return requests(namespace, local).socketsLeave(rooms, except, leave);
    }

    /** @param close also close the underlying connection (all its namespaces), as Node's {@code disconnect(true)} */
    public CompletableFuture<Boolean> disconnectSockets(String namespace, Set<String> rooms, Set<String> except,
                                                        boolean close) {
        RedisAdapter local = cluster.adapter(namespace);
        if (local != null) {
            local.disconnectLocal(rooms, except, close);
        }
        return requests(namespace, local).disconnectSockets(rooms, except, close);
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

    private ClusterRequests requests(String namespace, RedisAdapter local) {
        return local != null ? local.traffic() : cluster.traffic().undeclared(namespace);
    }
}
