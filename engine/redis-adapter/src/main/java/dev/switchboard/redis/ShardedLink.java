package dev.switchboard.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis Cluster connections of the sharded adapter mode: one cluster connection that routes SPUBLISH and the
 * node-state scripts by slot, and one pub/sub connection per master holding the SSUBSCRIBEs of the channels whose
 * slot it serves. Lettuce's cluster pub/sub connection sends SSUBSCRIBE to one default node and does not move
 * sharded subscriptions after a failover, so this class places them itself: {@link #reconcile()} (scheduler
 * thread) puts every wanted channel on the connection of its slot's current master, one channel per command (no
 * CROSSSLOT), and moves it when the topology changes or its connection dies. Node connections never reconnect by
 * themselves (a dead master stays dead): a closed one is dropped and its channels placed again.
 */
final class ShardedLink implements RedisLink {
    private static final Logger log = LoggerFactory.getLogger(ShardedLink.class);
    private static final long REFRESH_MIN_INTERVAL_NANOS = 500_000_000L;
    static final Duration PERIODIC_REFRESH = Duration.ofSeconds(30);
    private static final long RETRY_NODE_NANOS = 500_000_000L;
    /** Commands waiting per node connection while it (re)connects; beyond it they fail at once. */
    static final int REQUEST_QUEUE_SIZE = 10_000;

    private final RedisClusterClient client;
    private final RedisClient nodeClient;
    private final Consumer<Runnable> schedule;
    /** Wanted shard channels and their handlers (written by adapters on any thread). */
    private final Map<String, Consumer<byte[]>> wanted = new ConcurrentHashMap<>();
    /** Classic channels (the relay), subscribed through Lettuce's cluster pub/sub connection. */
    private final Map<String, Consumer<byte[]>> classic = new ConcurrentHashMap<>();
    // scheduler thread only:
    private final Map<String, StatefulRedisPubSubConnection<String, byte[]>> placed = new HashMap<>();
    private final Map<String, StatefulRedisPubSubConnection<String, byte[]>> nodes = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean reconcileQueued = new java.util.concurrent.atomic.AtomicBoolean();
    /** Node key to when connecting to it last failed: not retried sooner than {@link #RETRY_NODE_NANOS}. */
    private final Map<String, Long> unreachable = new HashMap<>();
    /** Channels wanted or unwanted since the last pass (any thread adds, the scheduler thread drains). */
    private final java.util.Queue<String> changed = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private boolean fullPassNeeded = true;
    private int topology;
    private long lastRefresh;
    private volatile StatefulRedisClusterConnection<String, byte[]> pub;
    private volatile StatefulRedisClusterPubSubConnection<String, byte[]> classicSub;
    private volatile boolean allPlaced;

    /** @param schedule runs a task on the cluster's scheduler thread (coalescing is the caller's) */
    ShardedLink(RedisSettings settings, ClientResources resources, Consumer<Runnable> schedule) {
        this.schedule = schedule;
        List<RedisURI> seeds = settings.nodeUrls().stream().map(RedisURI::create).toList();
        for (RedisURI seed : seeds) {
            seed.setTimeout(settings.requestTimeout());
        }
        client = RedisClusterClient.create(resources, seeds);
        client.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                // node connections open on first use: accept commands meanwhile (a rejected SPUBLISH is a lost
                // broadcast), bounded by the queue size and the command timeout
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE_SIZE)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.requestTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(settings.requestTimeout()))
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        // failovers are noticed by the adaptive triggers and by reconcile() (a dead node connection
                        // asks for a refresh); the periodic one catches slot migrations. Each refresh asks every node
                        // for CLUSTER NODES and CLIENT LIST: at 1 s, six nodes cost a cluster ~200 KB/s of replies.
                        .enablePeriodicRefresh(PERIODIC_REFRESH)
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                        .build())
                .build());
        nodeClient = RedisClient.create(resources);
        nodeClient.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.requestTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(settings.requestTimeout()))
                .build());
    }

    /** Connects the cluster connection (reads the topology); throws when no seed answers. */
    @Override
    public void connect() {
        StatefulRedisClusterConnection<String, byte[]> p = client.connect(RedisCluster.CODEC);
        StatefulRedisClusterPubSubConnection<String, byte[]> s;
        try {
            s = client.connectPubSub(RedisCluster.CODEC);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        s.addListener(new RedisClusterPubSubAdapter<>() {
            @Override
            public void message(RedisClusterNode node, String channel, byte[] message) {
                dispatch(classic, channel, message);
            }
        });
        pub = p;
        classicSub = s;
        if (!classic.isEmpty()) {
            s.async().subscribe(classic.keySet().toArray(String[]::new));
        }
    }

    private boolean connected() {
        StatefulRedisClusterConnection<String, byte[]> p = pub;
        return p != null && p.isOpen();
    }

    /**
     * Connected, and the last pass placed every wanted channel on an open connection to its slot's master. Rooms
     * joined since (placed within a scheduler tick) do not make the link unhealthy: see {@link #settled()}.
     */
    @Override
    public boolean healthy() {
        return connected() && allPlaced;
    }

    /** Healthy, and no room's SSUBSCRIBE waiting to be placed or answered (tests wait for it before broadcasting). */
    @Override
    public boolean settled() {
        return healthy() && changed.isEmpty() && inFlight.get() == 0;
    }

    // ------------------------------------------------------------------ publishing and scripts

    /** The cluster connection is open: SPUBLISH goes out (a subscription still being placed does not stop it). */
    @Override
    public boolean canPublish() {
        return connected();
    }

    /** SPUBLISH routed to the channel's slot; completes false when Redis refused or was unreachable. */
    @Override
    public CompletableFuture<Boolean> publish(String channel, byte[] message) {
        StatefulRedisClusterConnection<String, byte[]> p = pub;
        return LinkCommands.publish(p, () -> p.async().spublish(channel, message));
    }

    /** Runs a script on the master of {@code keys[0]}'s slot (the node-state keys share one slot: a hash tag). */
    @Override
    public <T> T eval(String script, ScriptOutputType type, String[] keys, byte[]... args) {
        StatefulRedisClusterConnection<String, byte[]> p = pub;
        return LinkCommands.run(p, "Redis Cluster is unreachable", () -> p.sync().eval(script, type, keys, args));
    }

    /** Runs DEL on the scheduler thread: never blocks the caller on Redis. */
    @Override
    public void deleteSoon(String key) {
        schedule.accept(() -> {
            try {
                eval(NodeStateScripts.DELETE_KEY, ScriptOutputType.INTEGER, new String[]{key});
            } catch (ClusterUnavailableException e) {
                log.debug("event=redis_state_cleanup_failed key={} error={}", key, e.getMessage());
            }
        });
    }

    // ------------------------------------------------------------------ subscriptions

    /** SSUBSCRIBE, placed on the connection of the channel's master by the next {@link #reconcile()} (soon). */
    void ssubscribe(String channel, Consumer<byte[]> handler) {
        if (wanted.put(channel, handler) == null) {
            changed.add(channel);
            requestReconcile();
        }
    }

    void sunsubscribe(String channel) {
        if (wanted.remove(channel) != null) {
            changed.add(channel);
            requestReconcile();
        }
    }

    @Override
    public void subscribe(String channel, Consumer<byte[]> handler) {
        classic.put(channel, handler);
        LinkCommands.whenOpen(classicSub, commands -> commands.subscribe(channel));
    }

    @Override
    public void unsubscribe(String channel) {
        classic.remove(channel);
        LinkCommands.whenOpen(classicSub, commands -> commands.unsubscribe(channel));
    }

    /** One pass soon on the scheduler thread, however many rooms changed meanwhile. */
    private void requestReconcile() {
        if (reconcileQueued.compareAndSet(false, true)) {
            schedule.accept(() -> {
                reconcileQueued.set(false);
                reconcile();
            });
        }
    }

    /**
     * Scheduler thread (every monitor tick, and soon after a room's channel is wanted or not): a full pass over
     * every channel when the topology changed, a node connection died or a placement failed; otherwise only the
     * channels that changed since the last pass, so a tick costs no more than a look at the topology.
     */
    @Override
    public void maintain() {
        reconcile(); // follows failovers: moves subscriptions to the new masters
    }

    /** Nothing to re-issue: {@link #reconcile()} places every channel again on a new connection. */
    @Override
    public void resubscribe() {
    }

    private void reconcile() {
        if (!connected()) {
            allPlaced = false;
            fullPassNeeded = true;
            return;
        }
        if (nodes.values().removeIf(c -> !c.isOpen())) {
            fullPassNeeded = true;
        }
        int now = topologyFingerprint();
        if (now != topology) {
            topology = now;
            fullPassNeeded = true;
        }
        boolean complete = true;
        if (fullPassNeeded) {
            fullPassNeeded = false;
            changed.clear(); // the full pass covers them; one changed meanwhile is queued again and placed twice: harmless
            for (String channel : wanted.keySet()) {
                complete &= place(channel);
            }
            for (String channel : new ArrayList<>(placed.keySet())) {
                if (!wanted.containsKey(channel)) {
                    drop(channel);
                }
            }
        } else {
            String channel;
            while ((channel = changed.poll()) != null) {
                complete &= wanted.containsKey(channel) ? place(channel) : drop(channel);
            }
            complete &= allPlaced;
        }
        if (!complete) {
            fullPassNeeded = true; // retried next tick
            refreshTopology();
        }
        allPlaced = complete;
    }

    /** Subscribes {@code channel} on its master's connection unless it is there already; false when it cannot be. */
    private boolean place(String channel) {
        RedisClusterNode master = client.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
        StatefulRedisPubSubConnection<String, byte[]> target = master == null ? null : node(master);
        if (target == null) {
            return false;
        }
        StatefulRedisPubSubConnection<String, byte[]> current = placed.get(channel);
        if (current == target) {
            return true;
        }
        if (current != null && current.isOpen()) {
            current.async().sunsubscribe(channel);
        }
        placed.put(channel, target);
        inFlight.incrementAndGet();
        target.async().ssubscribe(channel).whenComplete((ok, error) -> {
            inFlight.decrementAndGet();
            if (error != null) { // MOVED (stale topology) or the node went away: place it again
                log.debug("event=redis_ssubscribe_failed channel={} error={}", channel, error.toString());
                allPlaced = false;
                schedule.accept(() -> {
                    placed.remove(channel, target);
                    fullPassNeeded = true;
                    refreshTopology();
                });
            }
        });
        return true;
    }

    private boolean drop(String channel) {
        StatefulRedisPubSubConnection<String, byte[]> c = placed.remove(channel);
        if (c != null && c.isOpen()) {
            c.async().sunsubscribe(channel);
        }
        return true;
    }

    /**
     * Which node serves a sample of slots (every 256th): changes when a failover promotes a replica. Slots that
     * migrate between live masters are caught by the server's SUNSUBSCRIBE notice (see {@link #node}).
     */
    private int topologyFingerprint() {
        int h = 1;
        for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot += 256) {
            RedisClusterNode master = client.getPartitions().getMasterBySlot(slot);
            h = 31 * h + (master == null ? 0 : master.getNodeId().hashCode() * 31 + master.getUri().getPort());
        }
        return h;
    }

    /** The pub/sub connection to this master, opened on first use; null when it does not answer. */
    private StatefulRedisPubSubConnection<String, byte[]> node(RedisClusterNode master) {
        String key = master.getUri().getHost() + ":" + master.getUri().getPort();
        StatefulRedisPubSubConnection<String, byte[]> c = nodes.get(key);
        if (c != null) {
            return c;
        }
        Long failed = unreachable.get(key);
        if (failed != null && System.nanoTime() - failed < RETRY_NODE_NANOS) {
            return null; // a dead master until the topology says otherwise: one attempt per interval, not per channel
        }
        try {
            c = nodeClient.connectPubSub(RedisCluster.CODEC, master.getUri());
            unreachable.remove(key);
        } catch (RuntimeException e) {
            unreachable.put(key, System.nanoTime());
            log.debug("event=redis_shard_connect_failed node={} error={}", key, e.toString());
            return null;
        }
        StatefulRedisPubSubConnection<String, byte[]> connection = c;
        c.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void smessage(String channel, byte[] message) {
                dispatch(wanted, channel, message);
            }

            @Override
            public void sunsubscribed(String channel, long count) {
                // ours, or the server's notice that the slot moved to another node: place it again if still wanted
                schedule.accept(() -> {
                    if (wanted.containsKey(channel) && placed.remove(channel, connection)) {
                        changed.add(channel);
                        fullPassNeeded = true;
                        refreshTopology();
                        reconcile();
                    }
                });
            }
        });
        nodes.put(key, c);
        return c;
    }

    private void refreshTopology() {
        long now = System.nanoTime();
        if (now - lastRefresh >= REFRESH_MIN_INTERVAL_NANOS) {
            lastRefresh = now;
            client.refreshPartitionsAsync();
        }
    }

    /** Pub/sub messages Redis delivered to this node (sharded and classic channels). */
    @Override
    public long received() {
        return received.get();
    }

    private void dispatch(Map<String, Consumer<byte[]>> handlers, String channel, byte[] message) {
        received.incrementAndGet();
        Consumer<byte[]> handler = handlers.get(channel);
        if (handler != null) {
            try {
                handler.accept(message);
            } catch (RuntimeException e) {
                log.warn("event=redis_message_failed channel={} error={}", channel, e.toString(), e);
            }
        }
    }

    // ------------------------------------------------------------------ shutdown

    @Override
    public void close() {
        for (StatefulRedisPubSubConnection<String, byte[]> c : nodes.values()) {
            LinkCommands.closeQuietly(c);
        }
        nodes.clear();
        LinkCommands.closeQuietly(classicSub);
        LinkCommands.closeQuietly(pub);
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            nodeClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            log.debug("event=redis_client_shutdown_failed error={}", e.toString());
        }
    }
}
