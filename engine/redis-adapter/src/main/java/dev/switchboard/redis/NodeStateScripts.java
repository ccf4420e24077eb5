package dev.switchboard.redis;

/**
 * Lua scripts keeping each node's counts in Redis. Time is Redis's own (TIME), so clock skew between nodes
 * does not matter. Layout: a sorted set {@link RedisNames#nodesKey()} of node uids scored by the Redis time
 * their state expires, and per node and namespace a hash {@link RedisNames#nodeKey} with field {@code s} (socket
 * count) and {@code r<room>} (members of each room, socket-id rooms left out). A node's score lapses 3
 * heartbeats after its last write, so a node that dies drops out of the counts within that bound; every key
 * has a TTL (4 heartbeats), so it also leaves nothing behind.
 * The scripts touch keys they build from ARGV: a single Redis (or a replica set), not Redis Cluster.
 */
final class NodeStateScripts {
    private NodeStateScripts() {
    }

    private static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    /** ARGV: ttl ms, key ttl ms, uid: the node's score moved on (it is alive), lapsed nodes dropped. */
    private static final String NODE_ALIVE = NOW + """
            local ttl = tonumber(ARGV[1])
            local keyTtl = tonumber(ARGV[2])
            redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            if redis.call('PTTL', KEYS[1]) < keyTtl then redis.call('PEXPIRE', KEYS[1], keyTtl) end
            """;

    /**
     * KEYS: nodes zset [, node hash]. ARGV: ttl ms, key ttl ms, uid, then field/value pairs of the hash.
     * The score decides liveness; keys live one heartbeat longer so a node's counts never vanish before its score.
     */
    static final String WRITE = NODE_ALIVE + """
            if #KEYS > 1 then
              redis.call('DEL', KEYS[2])
              if #ARGV > 3 then
                for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
                redis.call('PEXPIRE', KEYS[2], keyTtl)
              end
            end
            return 1
            """;

    /**
     * KEYS: nodes zset, node hash. ARGV: ttl ms, key ttl ms, uid, then field/value pairs that changed since the last
     * write; an empty value removes the field. What a membership change writes: its rooms, not every room of the
     * node ({@link #WRITE} rewrites the whole hash, on each heartbeat).
     */
    static final String WRITE_CHANGES = NODE_ALIVE + """
            for i = 4, #ARGV, 2 do
              if ARGV[i + 1] == '' then
                redis.call('HDEL', KEYS[2], ARGV[i])
              else
                redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
              end
            end
            redis.call('PEXPIRE', KEYS[2], keyTtl)
            return 1
            """;

    /** KEYS: nodes zset. ARGV: node key prefix, namespaces... Returns [live nodes, sockets of each namespace...]. */
    static final String CONNECTIONS = NOW + """
            local uids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
            local out = {#uids}
            for j = 2, #ARGV do
              local total = 0
              for _, uid in ipairs(uids) do
                local v = redis.call('HGET', ARGV[1] .. uid .. '#' .. ARGV[j], 's')
                if v then total = total + tonumber(v) end
              end
              out[j] = total
            end
            return out
            """;

    /** KEYS: nodes zset. ARGV: node key prefix, namespace. Returns [room, members, room, members...]. */
    static final String ROOMS = NOW + """
            local uids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
            local sums = {}
            local order = {}
            for _, uid in ipairs(uids) do
              local h = redis.call('HGETALL', ARGV[1] .. uid .. '#' .. ARGV[2])
              for i = 1, #h, 2 do
                if string.sub(h[i], 1, 1) == 'r' then
                  local room = string.sub(h[i], 2)
                  if sums[room] == nil then
                    sums[room] = 0
                    order[#order + 1] = room
                  end
                  sums[room] = sums[room] + tonumber(h[i + 1])
                end
              end
            end
            local out = {}
            for _, room in ipairs(order) do
              out[#out + 1] = room
              out[#out + 1] = sums[room]
            end
            return out
            """;

    /** KEYS: nodes zset. Returns the uids of live nodes. */
    static final String NODES = NOW + """
            return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
            """;

    /** KEYS: nodes zset, node hashes... ARGV: uid. Removes a node's state (clean shutdown). */
    /** Deletes one node-state key (sharded mode: the key's slot routes the script, so no plain DEL is needed). */
    static final String DELETE_KEY = "return redis.call('del', KEYS[1])";

    static final String REMOVE = """
            redis.call('ZREM', KEYS[1], ARGV[1])
            for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
            return 1
            """;
}
