package dev.switchboard.bench.floor;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.switchboard.bench.Args;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The floor: the least a Netty server must do to fan one event out to N WebSocket clients. Speaks just enough
 * Engine.IO/Socket.IO for the load generator (open packet, CONNECT to any namespace, {@code join}), and on
 * {@code POST /emit} encodes ONE WebSocket frame and writes it to every member of the room, one task per event
 * loop, flushing each channel once. No acks, no per-client encoding, no backpressure policy, no pings.
 */
public final class FloorServer {
    /** room -> event loop -> members on that loop (each inner set touched only by its own loop). */
    final Map<String, Map<EventLoop, Set<Channel>>> rooms = new ConcurrentHashMap<>();
    final AtomicInteger connections = new AtomicInteger();

    public static void run(Args args) throws Exception {
        new FloorServer().start(args.str("host", "127.0.0.1"), intFromEnvOr("WS_PORT", args.integer("wsPort", 3107)),
                intFromEnvOr("API_PORT", args.integer("apiPort", 3108)), args.integer("threads", 0));
    }

    private static int intFromEnvOr(String env, int def) {
        String v = System.getenv(env);
        return v == null || v.isBlank() ? def : Integer.parseInt(v);
    }

    private void start(String host, int wsPort, int apiPort, int threads) throws Exception {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
        new ServerBootstrap().group(boss, workers).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new FloorUpgradeHandler(FloorServer.this));
                    }
                }).bind(host, wsPort).sync();
        new ServerBootstrap().group(boss, workers).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new FloorApiHandler(FloorServer.this));
                    }
                }).bind(host, apiPort).sync();
        System.err.println("floor listening ws=" + host + ":" + wsPort + " api=" + host + ":" + apiPort);
        new CountDownLatch(1).await();
    }

    void join(String room, Channel ch) {
        rooms.computeIfAbsent(room, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(ch.eventLoop(), l -> ConcurrentHashMap.newKeySet()).add(ch);
    }

    void leaveAll(Channel ch) {
        for (Map<EventLoop, Set<Channel>> byLoop : rooms.values()) {
            Set<Channel> members = byLoop.get(ch.eventLoop());
            if (members != null) {
                members.remove(ch);
            }
        }
    }
}
