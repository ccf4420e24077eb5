package dev.switchboard.bench.loadgen;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Open-loop {@code POST /emit} driver: emit k is due at start + k/rate and carries that intended time in its data
 * ({@code {"t":nanos}}), so queueing in front of a slow server counts in the measured latency. Runs on one event
 * loop; keeps {@code connections} keep-alive connections with one request in flight each; emits due while all
 * are busy wait in a bounded backlog (beyond it they are dropped and counted).
 */
final class HttpEmitter {
    private final EventLoop loop;
    private final InetSocketAddress api;
    private final String bodyPrefix;
    private final String bodySuffix;
    private final List<Conn> idle = new ArrayList<>();
    private final ArrayDeque<Long> backlog = new ArrayDeque<>();
    private final Histogram requestLatency = new Histogram(RxStats.MAX_LATENCY_MICROS, 3);

    final AtomicLong scheduled = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong deliveredReported = new AtomicLong();
    volatile String firstError;

    private ScheduledFuture<?> ticker;
    private volatile long startNanos;
    private volatile double rate;
    private long due;
    private int maxBacklog;

    HttpEmitter(EventLoop loop, InetSocketAddress api, String namespace, String room, String event, int padBytes) {
        this.loop = loop;
        this.api = api;
        this.bodyPrefix = "{\"namespace\":\"" + namespace + "\"" + (room == null ? "" : ",\"room\":\"" + room + "\"")
                + ",\"event\":\"" + event + "\",\"data\":{\"t\":";
        this.bodySuffix = ",\"p\":\"" + "x".repeat(Math.max(0, padBytes)) + "\"}}";
    }

    /** Opens the connections; blocks until they are up. */
    void open(int connections) throws InterruptedException {
        Bootstrap b = new Bootstrap().group(loop).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Conn conn = new Conn(ch);
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), conn);
                    }
                });
        for (int i = 0; i < connections; i++) {
            Channel ch = b.connect(api).sync().channel();
            Conn conn = ch.pipeline().get(Conn.class);
            loop.submit(() -> idle.add(conn)).sync();
        }
    }

    /** Starts emitting at {@code perSecond} (0 = none). */
    void start(double perSecond) throws InterruptedException {
        loop.submit(() -> {
            dropped.addAndGet(backlog.size());
            backlog.clear();
            rate = perSecond;
            startNanos = System.nanoTime();
            due = 0;
            maxBacklog = (int) Math.max(100, perSecond * 2);
            if (perSecond > 0) {
                ticker = loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
            }
        }).sync();
    }

    /**
     * Stops scheduling: every emit intended up to {@code untilNanos} is still issued (a late tick must not shorten
     * the window); emits waiting for a free connection are still sent, so the drain that follows sees them.
     */
    void stop(long untilNanos) throws InterruptedException {
        loop.submit(() -> {
            if (ticker != null) {
                ticker.cancel(false);
                ticker = null;
                scheduleUntil(untilNanos);
            }
        }).sync();
    }

    /** How many emits of the current run have their intended time in [from, to]. */
    long intendedBetween(long from, long to) {
        double perNano = rate / 1e9;
        long first = (long) Math.ceil((from - startNanos) * perNano);
        long last = (long) Math.floor((to - startNanos) * perNano);
        return Math.max(0, last - Math.max(0, first) + 1);
    }

    Histogram takeRequestLatency() throws Exception {
        return loop.submit(() -> {
            Histogram copy = requestLatency.copy();
            requestLatency.reset();
            return copy;
        }).get();
    }

    private void tick() {
        scheduleUntil(System.nanoTime());
    }

    private void scheduleUntil(long now) {
        long target = (long) ((now - startNanos) * rate / 1e9) + 1;
        while (due < target) {
            long intended = startNanos + (long) (due * 1e9 / rate);
            due++;
            scheduled.incrementAndGet();
            if (!idle.isEmpty()) {
                idle.remove(idle.size() - 1).send(intended);
            } else if (backlog.size() < maxBacklog) {
                backlog.add(intended);
            } else {
                dropped.incrementAndGet();
            }
        }
    }

    private final class Conn extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Channel channel;
        private long sentAt;

        Conn(Channel channel) {
            this.channel = channel;
        }

        void send(long intendedNanos) {
            byte[] body = (bodyPrefix + intendedNanos + bodySuffix).getBytes(StandardCharsets.UTF_8);
            ByteBuf content = Unpooled.wrappedBuffer(body);
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/emit", content);
            request.headers().set(HttpHeaderNames.HOST, api.getHostString() + ":" + api.getPort());
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            sentAt = System.nanoTime();
            sent.incrementAndGet();
            channel.writeAndFlush(request, channel.voidPromise());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            requestLatency.recordValue(Math.min(RxStats.MAX_LATENCY_MICROS, (System.nanoTime() - sentAt) / 1000));
            String body = response.content().toString(StandardCharsets.UTF_8);
            if (response.status().code() == 200) {
                ok.incrementAndGet();
                int at = body.indexOf("\"delivered\":");
                if (at >= 0) {
                    int i = at + 12;
                    long n = 0;
                    while (i < body.length() && Character.isDigit(body.charAt(i))) {
                        n = n * 10 + (body.charAt(i++) - '0');
                    }
                    deliveredReported.addAndGet(n);
                }
            } else {
                failed.incrementAndGet();
                if (firstError == null) {
                    firstError = response.status() + " " + body;
                }
            }
            Long next = backlog.poll();
            if (next != null) {
                send(next);
            } else {
                idle.add(this);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            idle.remove(this);
            if (firstError == null) {
                firstError = "emit connection closed by server";
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (firstError == null) {
                firstError = cause.toString();
            }
            ctx.close();
        }
    }
}
