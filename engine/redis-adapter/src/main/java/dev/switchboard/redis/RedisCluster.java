package dev.switchboard.redis;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.socketio.AdapterFactory;
import dev.switchboard.socketio.BroadcastOptions;
import dev.switchboard.socketio.BroadcastPacket;
import dev.switchboard.socketio.SocketIoServer;

/**
 * One node's membership in a Redis-backed cluster: the Redis connections (one for publishing and node state,
 * one subscribed), the per-namespace {@link RedisAdapter}s, the heartbeat that keeps this node's counts in
 * Redis, and the link's health.
 *
 * <pre>{@code
 * RedisCluster cluster = RedisCluster.start(settings, mapper);          // never blocks on Redis
 * SocketIoServer io = SocketIoServer.builder().objectMapper(mapper).adapter(cluster.adapterFactory())...build();
 * cluster.startRelay(io);                                                // if REDIS_RELAY_CHANNEL is set
 * cluster.status();  cluster.view().connections("/mcp");                 // for /health and /stats
 * io.close(grace); cluster.close();                                      // in this order
 * }</pre>
 *
 * With {@code REDIS_ADAPTER=sharded} the same roles run over a Redis Cluster ({@link ShardedLink}) in the wire format
 * of Node's createShardedAdapter ({@link ShardedMessages}); the classic mode is untouched by it.
 *
 * Local delivery never waits on Redis: publishing is asynchronous and dropped while the link is down. When Redis
 * is unreachable (at start or later) the node serves its own sockets, reports {@link RedisStatus#DEGRADED},
 * logs once, and reconnects by itself; on reconnection it re-subscribes and rewrites its state.
 */
public final class RedisCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    /** Membership changes are written to Redis at most this often (coalesced), so counts lag by about this much. */
    private static final long FLUSH_DELAY_MS = 100;
    private static final long MONITOR_MS = 100;
    private static final long RETRY_MIN_MS = 200;
    private static final long RETRY_MAX_MS = 2_000;

    private final RedisSettings settings;
    private final ObjectMapper mapper;
    private final String uid;
    private final RedisNames channels;
    private final ClientResources resources;
    private final RedisClient client; // classic mode; null in the sharded mode
    /** Sharded mode (REDIS_ADAPTER=sharded): the Redis Cluster connections; null in the classic mode. */
    private final ShardedLink sharded;
    private final ScheduledExecutorService scheduler;
    private final Map<String, RedisAdapter> adapters = new ConcurrentHashMap<>();
    private final Map<String, Consumer<byte[]>> channelHandlers = new ConcurrentHashMap<>();
    private final Map<String, BiConsumer<String, byte[]>> patternHandlers = new ConcurrentHashMap<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicReference<RedisStatus> reported = new AtomicReference<>();
    private final AtomicLong publishDropped = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final ClusterView view;
    private final ClusterOperations operations;
    private volatile StatefulRedisConnection<String, byte[]> pub;
    private volatile StatefulRedisPubSubConnection<String, byte[]> sub;
    private volatile boolean closed;
    /** Set when the link goes down: on the next OK, subscriptions are re-issued and the node state rewritten. */
    private volatile boolean needsRestore = true;
    private long retryDelayMs = RETRY_MIN_MS;

    private RedisCluster(RedisSettings settings, ObjectMapper mapper) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("Redis is off (no REDIS_URL): use the in-memory adapter");
        }
        this.settings = settings;
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.uid = newUid();
        this.channels = new RedisNames(settings.prefix(), settings.sharded());
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(RETRY_MIN_MS), Duration.ofMillis(RETRY_MAX_MS),
                        2, TimeUnit.MILLISECONDS))
                .build();
        if (settings.sharded()) {
            this.client = null;
            this.sharded = new ShardedLink(settings, resources, this::onScheduler);
        } else {
            this.sharded = null;
            this.client = RedisClient.create(resources, RedisURI.create(settings.url()));
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    // while disconnected, fail commands at once instead of queueing stale broadcasts in memory
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .socketOptions(SocketOptions.builder().connectTimeout(settings.requestTimeout()).build())
                    .timeoutOptions(TimeoutOptions.enabled(settings.requestTimeout()))
                    .build());
            client.addListener(new StateListener());
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-redis-" + uid);
            t.setDaemon(true);
            return t;
        });
        this.view = new ClusterView(this);
        this.operations = new ClusterOperations(this);
    }

    /** Starts connecting in the background (never throws because Redis is down); see {@link #status()}. */
    public static RedisCluster start(RedisSettings settings) {
        return start(settings, new ObjectMapper());
    }

    /** @param mapper the same ObjectMapper the SocketIoServer uses, so remote nodes serialize arguments alike */
    public static RedisCluster start(RedisSettings settings, ObjectMapper mapper) {
        RedisCluster cluster = new RedisCluster(settings, mapper);
        log.info("event=redis_cluster_start node={} url={} prefix={} heartbeatMs={} adapter={} subscriptionMode={}",
                cluster.uid, settings.redactedUrl(), settings.prefix(), settings.heartbeatInterval().toMillis(),
                settings.adapter().name().toLowerCase(java.util.Locale.ROOT), settings.subscriptionMode().word());
        cluster.scheduler.execute(cluster::connect);
        cluster.scheduler.scheduleWithFixedDelay(cluster::monitor, MONITOR_MS, MONITOR_MS, TimeUnit.MILLISECONDS);
        long hb = settings.heartbeatInterval().toMillis();
        cluster.scheduler.scheduleAtFixedRate(cluster::heartbeat, hb, hb, TimeUnit.MILLISECONDS);
        return cluster;
    }

    /** For {@code SocketIoServer.builder().adapter(...)}: one {@link RedisAdapter} per namespace. */
    public AdapterFactory adapterFactory() {
        return target -> new RedisAdapter(target, this);
    }

    /** Socket and room counts over every live node (for /health and /stats). */
    public ClusterView view() {
        return view;
    }

    /** Join, leave and disconnect sockets wherever they are connected. */
    public ClusterOperations operations() {
        return operations;
    }

    /** Starts the relay of {@link RedisSettings#relayChannel()} into {@code io}'s namespaces; empty when unset. */
    public Optional<RedisRelay> startRelay(SocketIoServer io) {
        if (settings.relayChannel() == null) {
            return Optional.empty();
        }
        return Optional.of(new RedisRelay(this, settings.relayChannel(), io));
    }

    /** OK when connected, DEGRADED while Redis is unreachable (local sockets are still served). */
    public RedisStatus status() {
        if (closed) {
            return RedisStatus.CLOSED;
        }
        if (sharded != null) {
            return sharded.healthy() ? RedisStatus.OK : RedisStatus.DEGRADED;
        }
        StatefulRedisConnection<String, byte[]> p = pub;
        StatefulRedisPubSubConnection<String, byte[]> s = sub;
        return p != null && s != null && p.isOpen() && s.isOpen() ? RedisStatus.OK : RedisStatus.DEGRADED;
    }

    public boolean healthy() {
        return status() == RedisStatus.OK;
    }

    /** This node's id in the cluster (the uid in its messages). */
    public String nodeId() {
        return uid;
    }

    public RedisSettings settings() {
        return settings;
    }

    /**
     * Pub/sub messages Redis delivered to this node, for every namespace and the relay: what a broadcast to a
     * room with no member here costs this node (classic mode: every broadcast of a namespace it serves).
     */
    public long messagesReceived() {
        return sharded != null ? sharded.received() : received.get();
    }

    /** Sharded mode: whether every wanted channel is subscribed on its master (tests wait for it). */
    boolean subscriptionsPlaced() {
        return sharded != null && sharded.settled();
    }

    /** Broadcasts that could not be published because Redis was unreachable. */
    public long publishDropped() {
        return publishDropped.get();
    }

    // ------------------------------------------------------------------ package API for adapters and helpers

    RedisNames channels() {
        return channels;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    RedisAdapter adapter(String nsp) {
        return adapters.get(nsp);
    }

    void register(RedisAdapter adapter) {
        adapters.put(adapter.nsp(), adapter);
        if (sharded != null) {
            ssubscribe(adapter.sharded().mainChannel(), adapter::onShardMessage);
            ssubscribe(adapter.sharded().responseChannel(), adapter::onShardMessage);
            markDirty(adapter);
            return;
        }
        psubscribe(channels.broadcastPattern(adapter.nsp()), adapter::onBroadcastMessage);
        subscribe(channels.request(adapter.nsp()), adapter::onRequest);
        markDirty(adapter);
    }

    void unregister(RedisAdapter adapter) {
        if (!adapters.remove(adapter.nsp(), adapter)) {
            return;
        }
        if (sharded != null) {
            adapter.shardChannels().forEach(sharded::sunsubscribe);
            String key = channels.nodeKey(uid, adapter.nsp());
            onScheduler(() -> { // never blocks the caller on Redis; the key expires anyway
                try {
                    eval(NodeStateScripts.DELETE_KEY, ScriptOutputType.INTEGER, new String[]{key});
                } catch (ClusterUnavailableException e) {
                    log.debug("event=redis_state_cleanup_failed namespace={} error={}", adapter.nsp(), e.getMessage());
                }
            });
            return;
        }
        String pattern = channels.broadcastPattern(adapter.nsp());
        String request = channels.request(adapter.nsp());
        patternHandlers.remove(pattern);
        channelHandlers.remove(request);
        StatefulRedisPubSubConnection<String, byte[]> s = sub;
        StatefulRedisConnection<String, byte[]> p = pub;
        if (s != null && s.isOpen()) {
            s.async().punsubscribe(pattern);
            s.async().unsubscribe(request);
        }
        if (p != null && p.isOpen()) {
            p.async().del(channels.nodeKey(uid, adapter.nsp()));
        }
    }

    void subscribe(String channel, Consumer<byte[]> handler) {
        if (sharded != null) {
            sharded.subscribe(channel, handler);
            return;
        }
        channelHandlers.put(channel, handler);
        StatefulRedisPubSubConnection<String, byte[]> s = sub;
        if (s != null && s.isOpen()) {
            s.async().subscribe(channel);
        }
    }

    void psubscribe(String pattern, BiConsumer<String, byte[]> handler) {
        patternHandlers.put(pattern, handler);
        StatefulRedisPubSubConnection<String, byte[]> s = sub;
        if (s != null && s.isOpen()) {
            s.async().psubscribe(pattern);
        }
    }

    void unsubscribe(String channel) {
        if (sharded != null) {
            sharded.unsubscribe(channel);
            return;
        }
        channelHandlers.remove(channel);
        StatefulRedisPubSubConnection<String, byte[]> s = sub;
        if (s != null && s.isOpen()) {
            s.async().unsubscribe(channel);
        }
    }

    /** Publishes without waiting; completes false when Redis is unreachable. Never throws. */
    CompletableFuture<Boolean> publish(String channel, byte[] message) {
        StatefulRedisConnection<String, byte[]> p = pub;
        if (p == null || !p.isOpen()) {
            publishDropped.incrementAndGet();
            return CompletableFuture.completedFuture(false);
        }
        try {
            return p.async().publish(channel, message).toCompletableFuture()
                    .handle((receivers, error) -> {
                        if (error != null) {
                            publishDropped.incrementAndGet();
                            return false;
                        }
                        return true;
                    });
        } catch (RuntimeException e) {
            publishDropped.incrementAndGet();
            return CompletableFuture.completedFuture(false);
        }
    }

    void publishBroadcast(BroadcastPacket packet, BroadcastOptions options) {
        if (!healthy()) {
            publishDropped.incrementAndGet();
            return; // not even encoded: local delivery has happened, Redis is down
        }
        String channel = options.rooms().size() == 1
                ? channels.broadcastRoom(packet.namespace(), options.rooms().iterator().next())
                : channels.broadcast(packet.namespace());
        byte[] message;
        try {
            message = BroadcastMessage.encode(uid, packet, options, mapper);
        } catch (RuntimeException e) {
            log.warn("event=redis_publish_failed namespace={} name={} error={}", packet.namespace(), packet.event(), e.toString());
            return;
        }
        publish(channel, message);
    }

    /** Sharded mode: SSUBSCRIBE, placed on the master of the channel's slot by the scheduler thread. */
    void ssubscribe(String channel, Consumer<byte[]> handler) {
        sharded.ssubscribe(channel, handler);
    }

    void sunsubscribe(String channel) {
        sharded.sunsubscribe(channel);
    }

    /** Sharded mode: SPUBLISH without waiting; completes false when Redis refused or was unreachable. Never throws. */
    CompletableFuture<Boolean> spublish(String channel, byte[] message) {
        return sharded.spublish(channel, message).thenApply(ok -> {
            if (!ok) {
                publishDropped.incrementAndGet();
            }
            return ok;
        });
    }

    /** Sharded mode: a broadcast as createShardedAdapter sends it (channel per Node's computeChannel). */
    void spublishBroadcast(ShardedMessages messages, BroadcastPacket packet, BroadcastOptions options) {
        if (!sharded.connected()) {
            publishDropped.incrementAndGet();
            return; // not even encoded: local delivery has happened, Redis is down
        }
        byte[] message;
        try {
            message = messages.broadcast(packet, options);
        } catch (RuntimeException e) {
            log.warn("event=redis_publish_failed namespace={} name={} error={}", packet.namespace(), packet.event(), e.toString());
            return;
        }
        spublish(messages.broadcastChannel(options), message);
    }

    /** Runs a script on the publishing connection; fails fast with ClusterUnavailableException when down. */
    <T> T eval(String script, ScriptOutputType type, String[] keys, String... args) {
        if (sharded != null) {
            return sharded.eval(script, type, keys, bytes(args));
        }
        StatefulRedisConnection<String, byte[]> p = pub;
        if (p == null || !p.isOpen()) {
            throw new ClusterUnavailableException("Redis is unreachable");
        }
        try {
            return p.sync().eval(script, type, keys, bytes(args));
        } catch (RuntimeException e) {
            throw new ClusterUnavailableException("Redis command failed: " + e.getMessage());
        }
    }

    void markDirty(RedisAdapter adapter) {
        adapter.markDirty();
        if (!closed && flushScheduled.compareAndSet(false, true)) {
            try {
                scheduler.schedule(this::flushDirty, FLUSH_DELAY_MS, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) { // scheduler stopped: closing
                flushScheduled.set(false);
            }
        }
    }

    // ------------------------------------------------------------------ scheduler thread

    private void onScheduler(Runnable task) {
        if (!closed) {
            try {
                scheduler.execute(task);
            } catch (RuntimeException ignored) {
                // closing
            }
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        if (sharded != null) {
            connectSharded();
            return;
        }
        StatefulRedisConnection<String, byte[]> p = null;
        StatefulRedisPubSubConnection<String, byte[]> s = null;
        try {
            p = client.connect(CODEC);
            s = client.connectPubSub(CODEC);
            s.addListener(new Dispatcher());
            pub = p;
            sub = s;
            retryDelayMs = RETRY_MIN_MS;
            log.info("event=redis_connected node={} url={}", uid, settings.redactedUrl());
            monitor();
        } catch (RuntimeException e) {
            closeQuietly(p);
            closeQuietly(s);
            checkHealth(e.getMessage());
            long delay = retryDelayMs;
            retryDelayMs = Math.min(RETRY_MAX_MS, retryDelayMs * 2);
            if (!closed) {
                scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void connectSharded() {
        try {
            sharded.connect();
            retryDelayMs = RETRY_MIN_MS;
            log.info("event=redis_connected node={} url={} adapter=sharded", uid, settings.redactedUrl());
            monitor();
        } catch (RuntimeException e) {
            checkHealth(e.getMessage());
            long delay = retryDelayMs;
            retryDelayMs = Math.min(RETRY_MAX_MS, retryDelayMs * 2);
            if (!closed) {
                scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Cheap (no I/O unless the status changed): logs transitions once, restores subscriptions and state on recovery. */
    private void monitor() {
        if (sharded != null) {
            sharded.reconcile(); // follows failovers: moves subscriptions to the new masters
        }
        if (checkHealth(null) == RedisStatus.OK && reported.get() == RedisStatus.OK && needsRestore) {
            restore();
        }
    }

    private RedisStatus checkHealth(String reason) {
        RedisStatus now = status();
        RedisStatus before = reported.getAndSet(now);
        if (before == now) {
            return now;
        }
        if (now == RedisStatus.DEGRADED) {
            needsRestore = true;
            log.warn("event=redis_degraded node={} url={} reason=\"{}\" note=\"serving local sockets only, reconnecting\"",
                    uid, settings.redactedUrl(), reason == null ? "connection lost" : reason);
        } else if (now == RedisStatus.OK && before != null) {
            log.info("event=redis_recovered node={} url={}", uid, settings.redactedUrl());
        }
        return now;
    }

    /** After (re)connecting: subscribe to everything registered (idempotent) and rewrite this node's state. */
    private void restore() {
        if (sharded != null) {
            needsRestore = false;
            adapters.values().forEach(RedisAdapter::markDirty);
            heartbeat();
            return;
        }
        StatefulRedisPubSubConnection<String, byte[]> s = sub;
        if (s == null) {
            return;
        }
        try {
            if (!channelHandlers.isEmpty()) {
                s.async().subscribe(channelHandlers.keySet().toArray(String[]::new));
            }
            if (!patternHandlers.isEmpty()) {
                s.async().psubscribe(patternHandlers.keySet().toArray(String[]::new));
            }
            needsRestore = false;
            adapters.values().forEach(RedisAdapter::markDirty);
            heartbeat();
        } catch (RuntimeException e) {
            log.debug("event=redis_restore_failed error={}", e.toString());
        }
    }

    private void heartbeat() {
        if (closed || !healthy()) {
            return;
        }
        try {
            if (adapters.isEmpty()) {
                eval(NodeStateScripts.WRITE, ScriptOutputType.INTEGER, new String[]{channels.nodesKey()},
                        ttlMs(), keyTtlMs(), uid);
            }
            for (RedisAdapter adapter : adapters.values()) {
                writeState(adapter);
            }
        } catch (RuntimeException e) {
            log.debug("event=redis_heartbeat_failed error={}", e.toString());
        }
    }

    private void flushDirty() {
        flushScheduled.set(false);
        if (closed || !healthy()) {
            return;
        }
        try {
            for (RedisAdapter adapter : adapters.values()) {
                if (adapter.takeDirty()) {
                    writeState(adapter);
                }
            }
        } catch (RuntimeException e) {
            log.debug("event=redis_state_flush_failed error={}", e.toString());
        }
    }

    private void writeState(RedisAdapter adapter) {
        adapter.takeDirty();
        List<String> args = new ArrayList<>();
        args.add(ttlMs());
        args.add(keyTtlMs());
        args.add(uid);
        adapter.snapshot(args);
        eval(NodeStateScripts.WRITE, ScriptOutputType.INTEGER,
                new String[]{channels.nodesKey(), channels.nodeKey(uid, adapter.nsp())}, args.toArray(String[]::new));
    }

    private String ttlMs() {
        return Long.toString(settings.nodeTtl().toMillis());
    }

    /** Keys outlive the liveness score by one heartbeat: see {@link NodeStateScripts#WRITE}. */
    private String keyTtlMs() {
        return Long.toString(settings.nodeTtl().plus(settings.heartbeatInterval()).toMillis());
    }

    // ------------------------------------------------------------------ shutdown

    /** Removes this node's state from Redis, unsubscribes and closes the connections. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        if (sharded != null) {
            closeSharded();
            return;
        }
        StatefulRedisConnection<String, byte[]> p = pub;
        if (p != null && p.isOpen()) {
            List<String> keys = new ArrayList<>();
            keys.add(channels.nodesKey());
            for (String nsp : adapters.keySet()) {
                keys.add(channels.nodeKey(uid, nsp));
            }
            try {
                p.sync().eval(NodeStateScripts.REMOVE, ScriptOutputType.INTEGER, keys.toArray(String[]::new), bytes(uid));
            } catch (RuntimeException e) {
                log.warn("event=redis_state_cleanup_failed node={} error={} note=\"keys expire within {} ms\"",
                        uid, e.toString(), settings.nodeTtl().plus(settings.heartbeatInterval()).toMillis());
            }
        }
        closeQuietly(sub);
        closeQuietly(p);
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            log.debug("event=redis_client_shutdown_failed error={}", e.toString());
        }
        log.info("event=redis_cluster_closed node={}", uid);
    }

    private void closeSharded() {
        List<String> keys = new ArrayList<>();
        keys.add(channels.nodesKey());
        for (String nsp : adapters.keySet()) {
            keys.add(channels.nodeKey(uid, nsp));
        }
        try {
            sharded.eval(NodeStateScripts.REMOVE, ScriptOutputType.INTEGER, keys.toArray(String[]::new), bytes(uid));
        } catch (RuntimeException e) {
            log.warn("event=redis_state_cleanup_failed node={} error={} note=\"keys expire within {} ms\"",
                    uid, e.toString(), settings.nodeTtl().plus(settings.heartbeatInterval()).toMillis());
        }
        sharded.close();
        try {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            log.debug("event=redis_client_shutdown_failed error={}", e.toString());
        }
        log.info("event=redis_cluster_closed node={}", uid);
    }

    private static void closeQuietly(io.lettuce.core.api.StatefulConnection<?, ?> connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
    }

    static byte[][] bytes(String... values) {
        byte[][] out = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static String newUid() {
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Routes subscribed messages (on a Lettuce I/O thread) to their handlers; a failing handler loses one message. */
    private final class Dispatcher implements RedisPubSubListener<String, byte[]> {
        @Override
        public void message(String channel, byte[] message) {
            received.incrementAndGet();
            Consumer<byte[]> handler = channelHandlers.get(channel);
            if (handler != null) {
                try {
                    handler.accept(message);
                } catch (RuntimeException e) {
                    log.warn("event=redis_message_failed channel={} error={}", channel, e.toString(), e);
                }
            }
        }

        @Override
        public void message(String pattern, String channel, byte[] message) {
            received.incrementAndGet();
            BiConsumer<String, byte[]> handler = patternHandlers.get(pattern);
            if (handler != null) {
                try {
                    handler.accept(channel, message);
                } catch (RuntimeException e) {
                    log.warn("event=redis_message_failed channel={} error={}", channel, e.toString(), e);
                }
            }
        }

        @Override
        public void subscribed(String channel, long count) {
        }

        @Override
        public void psubscribed(String pattern, long count) {
        }

        @Override
        public void unsubscribed(String channel, long count) {
        }

        @Override
        public void punsubscribed(String pattern, long count) {
        }
    }

    /** Connection state changes: re-evaluate health soon on the scheduler thread. */
    private final class StateListener implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, java.net.SocketAddress address) {
            poke();
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            poke();
        }

        private void poke() {
            if (!closed) {
                try {
                    scheduler.execute(RedisCluster.this::monitor);
                } catch (RuntimeException ignored) {
                    // closing
                }
            }
        }
    }
}
