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
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.socketio.AdapterFactory;
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
 * The connections are the mode's {@link RedisLink}: {@link ClassicLink} (one Redis), or with
 * {@code REDIS_ADAPTER=sharded} {@link ShardedLink} (a Redis Cluster, in the wire format of Node's
 * createShardedAdapter: {@link ShardedMessages}), chosen together with the mode's {@link AdapterTraffic}.
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
    private final RedisLink link;
    private final AdapterTraffic traffic;
    private final ScheduledExecutorService scheduler;
    private final Map<String, RedisAdapter> adapters = new ConcurrentHashMap<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicReference<RedisStatus> reported = new AtomicReference<>();
    private final AtomicLong publishDropped = new AtomicLong();
    private final ClusterView view;
    private final ClusterOperations operations;
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
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(RETRY_MIN_MS), Duration.ofMillis(RETRY_MAX_MS),
                        2, TimeUnit.MILLISECONDS))
                .build();
        switch (settings.adapter()) { // the one place the adapter mode is chosen
            case SHARDED -> {
                this.channels = new RedisNames(settings.prefix(), true);
                ShardedLink sharded = new ShardedLink(settings, resources, this::onScheduler);
                this.link = sharded;
                this.traffic = new AdapterTraffic.Sharded(this, sharded);
            }
            default -> {
                this.channels = new RedisNames(settings.prefix(), false);
                ClassicLink classic = new ClassicLink(settings, resources, channels, () -> onScheduler(this::monitor));
                this.link = classic;
                this.traffic = new AdapterTraffic.Classic(this, classic);
            }
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
        return link.healthy() ? RedisStatus.OK : RedisStatus.DEGRADED;
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
        return link.received();
    }

    /** Sharded mode: whether every wanted channel is subscribed on its master (tests wait for it). */
    boolean subscriptionsPlaced() {
        return link.settled();
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

    AdapterTraffic traffic() {
        return traffic;
    }

    RedisAdapter adapter(String nsp) {
        return adapters.get(nsp);
    }

    void register(RedisAdapter adapter) {
        adapters.put(adapter.nsp(), adapter);
        adapter.traffic().subscribe();
        markDirty(adapter);
    }

    void unregister(RedisAdapter adapter) {
        if (!adapters.remove(adapter.nsp(), adapter)) {
            return;
        }
        adapter.traffic().unsubscribe();
        link.deleteSoon(channels.nodeKey(uid, adapter.nsp()));
    }

    /** A plain channel (SUBSCRIBE), in either mode: the relay. */
    void subscribe(String channel, Consumer<byte[]> handler) {
        link.subscribe(channel, handler);
    }

    void unsubscribe(String channel) {
        link.unsubscribe(channel);
    }

    /**
     * PUBLISH (classic) or SPUBLISH (sharded) without waiting; completes false, counted as dropped, when Redis
     * refused or was unreachable. Never throws.
     */
    CompletableFuture<Boolean> publish(String channel, byte[] message) {
        return link.publish(channel, message).thenApply(ok -> {
            if (!ok) {
                publishDropped.incrementAndGet();
            }
            return ok;
        });
    }

    /** Publishes a broadcast, encoded by {@code encode} only when Redis is up; never throws. */
    void publishBroadcast(String channel, BroadcastPacket packet, Supplier<byte[]> encode) {
        if (!link.canPublish()) {
            publishDropped.incrementAndGet();
            return; // not even encoded: local delivery has happened, Redis is down
        }
        byte[] message;
        try {
            message = encode.get();
        } catch (RuntimeException e) {
            log.warn("event=redis_publish_failed namespace={} name={} error={}", packet.namespace(), packet.event(), e.toString());
            return;
        }
        publish(channel, message);
    }

    /** Runs a script on the publishing connection; fails fast with ClusterUnavailableException when down. */
    <T> T eval(String script, ScriptOutputType type, String[] keys, String... args) {
        return link.eval(script, type, keys, bytes(args));
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
        try {
            link.connect();
            retryDelayMs = RETRY_MIN_MS;
            log.info("event=redis_connected node={} url={} adapter={}", uid, settings.redactedUrl(),
                    settings.adapter().name().toLowerCase(java.util.Locale.ROOT));
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
        link.maintain();
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
        try {
            link.resubscribe();
        } catch (RuntimeException e) {
            log.debug("event=redis_restore_failed error={}", e.toString());
            return;
        }
        needsRestore = false;
        adapters.values().forEach(RedisAdapter::markDirty);
        heartbeat();
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
                    writeChanges(adapter);
                }
            }
        } catch (RuntimeException e) {
            log.debug("event=redis_state_flush_failed error={}", e.toString());
        }
    }

    /** The whole state of one namespace on this node (each heartbeat, and whenever changes alone would not do). */
    private void writeState(RedisAdapter adapter) {
        adapter.takeDirty();
        List<String> args = stateArgs();
        adapter.snapshot(args);
        writeOrMarkFailed(adapter, NodeStateScripts.WRITE, args);
    }

    /** Only the rooms that changed since the last write: a join costs Redis its room, not every room of the node. */
    private void writeChanges(RedisAdapter adapter) {
        List<String> args = stateArgs();
        if (!adapter.changes(args)) {
            writeState(adapter);
            return;
        }
        writeOrMarkFailed(adapter, NodeStateScripts.WRITE_CHANGES, args);
    }

    private List<String> stateArgs() {
        List<String> args = new ArrayList<>();
        args.add(ttlMs());
        args.add(keyTtlMs());
        args.add(uid);
        return args;
    }

    private void writeOrMarkFailed(RedisAdapter adapter, String script, List<String> args) {
        try {
            eval(script, ScriptOutputType.INTEGER,
                    new String[]{channels.nodesKey(), channels.nodeKey(uid, adapter.nsp())}, args.toArray(String[]::new));
        } catch (RuntimeException e) {
            adapter.stateWriteFailed(); // the changes it carried are lost: the next write is whole
            throw e;
        }
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
        try {
            // a pass of the link's reconcile still running there would change its connections under close()
            if (!scheduler.awaitTermination(2, TimeUnit.SECONDS)) {
                log.warn("event=redis_scheduler_still_running node={}", uid);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> keys = new ArrayList<>();
        keys.add(channels.nodesKey());
        for (String nsp : adapters.keySet()) {
            keys.add(channels.nodeKey(uid, nsp));
        }
        try {
            link.eval(NodeStateScripts.REMOVE, ScriptOutputType.INTEGER, keys.toArray(String[]::new), bytes(uid));
        } catch (RuntimeException e) {
            log.warn("event=redis_state_cleanup_failed node={} error={} note=\"keys expire within {} ms\"",
                    uid, e.toString(), settings.nodeTtl().plus(settings.heartbeatInterval()).toMillis());
        }
        link.close();
        try {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            log.debug("event=redis_client_shutdown_failed error={}", e.toString());
        }
        log.info("event=redis_cluster_closed node={}", uid);
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
}
