package dev.switchboard.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.ScriptOutputType;

/**
 * Socket and room counts over every live node, read from the state each node keeps in Redis (refreshed on
 * every change within ~100 ms and by each heartbeat; a node that stopped heartbeating drops out after 3
 * heartbeats). One Redis round trip per call; throws {@link ClusterUnavailableException} at once while Redis
 * is unreachable.
 */
public final class ClusterView {
    private final RedisCluster cluster;

    ClusterView(RedisCluster cluster) {
        this.cluster = cluster;
    }

    /** Sockets connected to {@code namespace} on all live nodes. */
    public long connections(String namespace) {
        return connections(List.of(namespace)).get(namespace);
    }

    /** Sockets per namespace on all live nodes (namespaces in the given order). */
    public Map<String, Long> connections(Collection<String> namespaces) {
        List<String> args = new ArrayList<>(namespaces.size() + 1);
        args.add(cluster.channels().nodeKeyPrefix());
        args.addAll(namespaces);
        List<Object> out = cluster.eval(NodeStateScripts.CONNECTIONS, ScriptOutputType.MULTI,
                new String[]{cluster.channels().nodesKey()}, args.toArray(String[]::new));
        Map<String, Long> result = new LinkedHashMap<>();
        int i = 1;
        for (String nsp : namespaces) {
            result.put(nsp, (Long) out.get(i++));
        }
        return result;
    }

    /** Rooms of {@code namespace} with their member counts summed over all live nodes (socket-id rooms left out). */
    public Map<String, Long> rooms(String namespace) {
        List<Object> out = cluster.eval(NodeStateScripts.ROOMS, ScriptOutputType.MULTI,
                new String[]{cluster.channels().nodesKey()}, cluster.channels().nodeKeyPrefix(), namespace);
        Map<String, Long> rooms = new LinkedHashMap<>();
        for (int i = 0; i + 1 < out.size(); i += 2) {
            rooms.put(text(out.get(i)), (Long) out.get(i + 1));
        }
        return rooms;
    }

    /** Ids of the live nodes (this one included once it has written its state). */
    public List<String> nodes() {
        List<Object> out = cluster.eval(NodeStateScripts.NODES, ScriptOutputType.MULTI,
                new String[]{cluster.channels().nodesKey()});
        List<String> ids = new ArrayList<>(out.size());
        for (Object o : out) {
            ids.add(text(o));
        }
        return ids;
    }

    private static String text(Object value) {
        return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
