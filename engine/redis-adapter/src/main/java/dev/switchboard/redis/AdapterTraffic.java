package dev.switchboard.redis;

/**
 * The adapter mode's traffic (REDIS_ADAPTER), chosen once by {@link RedisCluster} with its {@link RedisLink}:
 * the {@link NamespaceTraffic} of each declared namespace, and the requests for a namespace not declared here.
 */
interface AdapterTraffic {
    NamespaceTraffic namespace(RedisAdapter adapter, RejectLog rejects);

    /** Join, leave and disconnect requests for a namespace without an adapter on this node. */
    ClusterRequests undeclared(String namespace);

    /** One Redis, PUBLISH and PSUBSCRIBE: the layout of @socket.io/redis-adapter's createAdapter. */
    record Classic(RedisCluster cluster, ClassicLink link) implements AdapterTraffic {
        @Override
        public NamespaceTraffic namespace(RedisAdapter adapter, RejectLog rejects) {
            return new ClassicNamespaceTraffic(adapter, cluster, link, rejects);
        }

        @Override
        public ClusterRequests undeclared(String namespace) {
            return new ClassicRequests(cluster, namespace);
        }
    }

    /** A Redis Cluster, SPUBLISH and SSUBSCRIBE: the layout of @socket.io/redis-adapter's createShardedAdapter. */
    record Sharded(RedisCluster cluster, ShardedLink link) implements AdapterTraffic {
        @Override
        public NamespaceTraffic namespace(RedisAdapter adapter, RejectLog rejects) {
            return new ShardedNamespaceTraffic(adapter, cluster, link, rejects);
        }

        @Override
        public ClusterRequests undeclared(String namespace) {
            return ClusterRequests.NOT_PUBLISHED;
        }
    }
}
