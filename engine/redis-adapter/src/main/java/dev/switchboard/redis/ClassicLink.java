package dev.switchboard.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of the classic adapter mode: one Redis, one connection for publishing and node state, one
 * subscribed (a pattern per namespace for its broadcasts, a channel for its requests, the relay's channel).
 * Lettuce reconnects both by itself; while disconnected, commands fail at once instead of queueing stale
 * broadcasts in memory.
 */
final class ClassicLink implements RedisLink {
    private static final Logger log = LoggerFactory.getLogger(ClassicLink.class);

    private final RedisClient client;
    private final RedisNames channels;
    private final Map<String, Consumer<byte[]>> channelHandlers = new ConcurrentHashMap<>();
    private final Map<String, BiConsumer<String, byte[]>> patternHandlers = new ConcurrentHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private volatile StatefulRedisConnection<String, byte[]> pub;
    private volatile StatefulRedisPubSubConnection<String, byte[]> sub;

    /** @param onStateChange told (on a Lettuce thread) when a connection goes up or down */
    ClassicLink(RedisSettings settings, ClientResources resources, RedisNames channels, Runnable onStateChange) {
        this.channels = channels;
        this.client = RedisClient.create(resources, RedisURI.create(settings.url()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.requestTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(settings.requestTimeout()))
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, java.net.SocketAddress address) {
                onStateChange.run();
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                onStateChange.run();
            }
        });
    }

    @Override
    public void connect() {
        StatefulRedisConnection<String, byte[]> p = null;
        StatefulRedisPubSubConnection<String, byte[]> s = null;
        try {
            p = client.connect(RedisCluster.CODEC);
            s = client.connectPubSub(RedisCluster.CODEC);
            s.addListener(new Dispatcher());
            pub = p;
            sub = s;
        } catch (RuntimeException e) {
            LinkCommands.closeQuietly(p);
            LinkCommands.closeQuietly(s);
            throw e;
        }
    }

    @Override
    public boolean healthy() {
        StatefulRedisConnection<String, byte[]> p = pub;
        StatefulRedisPubSubConnection<String, byte[]> s = sub;
        return p != null && s != null && p.isOpen() && s.isOpen();
    }

    @Override
    public boolean canPublish() {
        return healthy();
    }

    /** Never: nothing here waits to be placed, and tests wait for it in the sharded mode only. */
    @Override
    public boolean settled() {
        return false;
    }

    @Override
    public long received() {
        return received.get();
    }

    /** A namespace's own channels: its broadcasts (every room, by pattern) and requests from other nodes. */
    void registerNamespace(String nsp, BiConsumer<String, byte[]> broadcasts, Consumer<byte[]> requests) {
        psubscribe(channels.broadcastPattern(nsp), broadcasts);
        subscribe(channels.request(nsp), requests);
    }

    /** Drops the namespace's channels. */
    void unregisterNamespace(String nsp) {
        String pattern = channels.broadcastPattern(nsp);
        String request = channels.request(nsp);
        patternHandlers.remove(pattern);
        channelHandlers.remove(request);
        LinkCommands.whenOpen(sub, commands -> {
            commands.punsubscribe(pattern);
            commands.unsubscribe(request);
        });
    }

    @Override
    public void subscribe(String channel, Consumer<byte[]> handler) {
        channelHandlers.put(channel, handler);
        LinkCommands.whenOpen(sub, commands -> commands.subscribe(channel));
    }

    @Override
    public void unsubscribe(String channel) {
        channelHandlers.remove(channel);
        LinkCommands.whenOpen(sub, commands -> commands.unsubscribe(channel));
    }

    private void psubscribe(String pattern, BiConsumer<String, byte[]> handler) {
        patternHandlers.put(pattern, handler);
        LinkCommands.whenOpen(sub, commands -> commands.psubscribe(pattern));
    }

    @Override
    public CompletableFuture<Boolean> publish(String channel, byte[] message) {
        StatefulRedisConnection<String, byte[]> p = pub;
        return LinkCommands.publish(p, () -> p.async().publish(channel, message));
    }

    @Override
    public <T> T eval(String script, ScriptOutputType type, String[] keys, byte[]... args) {
        StatefulRedisConnection<String, byte[]> p = pub;
        return LinkCommands.run(p, "Redis is unreachable", () -> p.sync().eval(script, type, keys, args));
    }

    @Override
    public void deleteSoon(String key) {
        StatefulRedisConnection<String, byte[]> p = pub;
        if (p != null && p.isOpen()) {
            p.async().del(key);
        }
    }

    @Override
    public void maintain() {
        // Lettuce reconnects by itself; resubscribe() follows
    }

    /** Subscribes again to everything registered (idempotent). */
    @Override
    public void resubscribe() {
        StatefulRedisPubSubConnection<String, byte[]> s = sub;
        if (s == null) {
            throw new ClusterUnavailableException("not connected");
        }
        if (!channelHandlers.isEmpty()) {
            s.async().subscribe(channelHandlers.keySet().toArray(String[]::new));
        }
        if (!patternHandlers.isEmpty()) {
            s.async().psubscribe(patternHandlers.keySet().toArray(String[]::new));
        }
    }

    @Override
    public void close() {
        LinkCommands.closeQuietly(sub);
        LinkCommands.closeQuietly(pub);
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            log.debug("event=redis_client_shutdown_failed error={}", e.toString());
        }
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
}
