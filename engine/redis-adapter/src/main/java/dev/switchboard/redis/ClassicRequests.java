package dev.switchboard.redis;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Classic mode: requests published on the namespace's request channel ({@code <prefix>-request#<nsp>#}) in the
 * @socket.io/redis-adapter request format (JSON), so Node servers on that adapter apply them too. Works for a
 * namespace not declared on this node as well.
 */
final class ClassicRequests implements ClusterRequests {
    private final RedisCluster cluster;
    private final String namespace;

    ClassicRequests(RedisCluster cluster, String namespace) {
        this.cluster = cluster;
        this.namespace = namespace;
    }

    @Override
    public CompletableFuture<Boolean> socketsJoin(Set<String> rooms, Set<String> except, Collection<String> join) {
        return publish(request(RequestHandler.REMOTE_JOIN, rooms, except).set("rooms", strings(join)));
    }

    @Override
    public CompletableFuture<Boolean> socketsLeave(Set<String> rooms, Set<String> except, Collection<String> leave) {
        return publish(request(RequestHandler.REMOTE_LEAVE, rooms, except).set("rooms", strings(leave)));
    }

    @Override
    public CompletableFuture<Boolean> disconnectSockets(Set<String> rooms, Set<String> except, boolean close) {
        return publish(request(RequestHandler.REMOTE_DISCONNECT, rooms, except).put("close", close));
    }

    private ObjectNode request(int type, Set<String> rooms, Set<String> except) {
        ObjectNode node = cluster.mapper().createObjectNode().put("uid", cluster.nodeId()).put("type", type);
        ObjectNode opts = node.putObject("opts");
        opts.set("rooms", strings(rooms));
        opts.set("except", strings(except));
        return node;
    }

    private ArrayNode strings(Collection<String> values) {
        ArrayNode array = cluster.mapper().createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private CompletableFuture<Boolean> publish(JsonNode request) {
        return cluster.publish(cluster.channels().request(namespace),
                request.toString().getBytes(StandardCharsets.UTF_8));
    }
}
