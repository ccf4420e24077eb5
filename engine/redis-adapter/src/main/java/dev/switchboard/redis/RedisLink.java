package dev.switchboard.redis;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.lettuce.core.ScriptOutputType;

/**
 * The Redis connections of one adapter mode, as {@link RedisCluster} uses them: {@link ClassicLink} (one Redis,
 * PUBLISH and PSUBSCRIBE, the layout of @socket.io/redis-adapter's classic adapter) or {@link ShardedLink} (a Redis
 * Cluster, SPUBLISH and SSUBSCRIBE placed on each channel's master, as its createShardedAdapter). Publishing and
 * subscribing never block; {@link #connect}, {@link #maintain} and {@link #resubscribe} run on the cluster's
 * scheduler thread.
 */
interface RedisLink {
    /** Opens the connections; throws when Redis is unreachable (the cluster retries). */
    void connect();

    /** Connected, with every subscription in place. */
    boolean healthy();

    /** Whether a broadcast is worth encoding: false while it would only be dropped. */
    boolean canPublish();

    /** Healthy, and no subscription waiting to be placed or answered (tests wait for it). */
    boolean settled();

    /** Pub/sub messages Redis delivered to this node. */
    long received();

    /** A plain channel (SUBSCRIBE): the relay, in both modes. */
    void subscribe(String channel, Consumer<byte[]> handler);

    void unsubscribe(String channel);

    /** PUBLISH (classic) or SPUBLISH (sharded) without waiting; completes false when it did not reach Redis. */
    CompletableFuture<Boolean> publish(String channel, byte[] message);

    /** Runs a script (node state); throws {@link ClusterUnavailableException} when Redis is down or refuses. */
    <T> T eval(String script, ScriptOutputType type, String[] keys, byte[]... args);

    /** Deletes a key soon, never blocking the caller (a namespace's node state when it closes; it expires anyway). */
    void deleteSoon(String key);

    /** Each monitor tick: keeps subscriptions where they belong (the sharded link follows failovers). */
    void maintain();

    /** After a reconnection: re-issues the subscriptions the connection lost. */
    void resubscribe();

    /** Closes the connections and their clients (not the shared client resources). */
    void close();
}
