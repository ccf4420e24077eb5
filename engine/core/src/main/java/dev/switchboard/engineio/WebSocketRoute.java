package dev.switchboard.engineio;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain (non Engine.IO) WebSocket endpoint on the public port, e.g. {@code /ws} for clients speaking their own
 * JSON. The engine applies its Origin check, its maxPayload message limit (larger messages close the connection
 * with 1009), its slow-consumer bound (outboundHardLimit) and a heartbeat: a WebSocket ping after pingInterval
 * without inbound traffic, the connection closed (1001) when nothing arrives within pingTimeout after it.
 * Callbacks run on the connection's I/O thread: they must be quick and never block.
 */
public interface WebSocketRoute {

    /** Before the 101: null admits the upgrade, a reply refuses it (e.g. 503 when a connection limit is hit). */
    default HttpReply admit(HttpRouteRequest request) {
        return null;
    }

    /** The upgrade is done; returns the listener of this connection's messages. */
    Listener onOpen(PlainWebSocket socket, HttpRouteRequest request);

    /** Inbound side of one connection. */
    interface Listener {
        /** One complete text message (fragments aggregated). */
        void onText(String text);

        /** One complete binary message; ignored by default. */
        default void onBinary(byte[] data) {
        }

        /** The connection is gone (called once). */
        void onClose();
    }

    /** Outbound side of one connection; every method may be called from any thread. */
    interface PlainWebSocket {
        /** Sends one text message (UTF-8 bytes, not copied: do not modify). False when closed or closing. */
        boolean sendText(byte[] utf8);

        default boolean sendText(String text) {
            return sendText(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Sends a close frame with this status code and reason, then closes. */
        void close(int code, String reason);

        boolean isOpen();

        InetSocketAddress remoteAddress();
    }
}

/** Netty side of one plain WebSocket connection: upgrade, frames to the listener, heartbeat, slow consumer. */
final class PlainWebSocketHandler extends ChannelInboundHandlerAdapter
        implements WebSocketRoute.PlainWebSocket, OutboundHolder {
    private static final Logger log = LoggerFactory.getLogger(PlainWebSocketHandler.class);

    private final Channel channel;
    private final EngineIoOptions options;
    private final OutboundMemoryGuard memoryGuard;
    private WebSocketRoute.Listener listener;
    private volatile boolean closing;
    private long lastReadNanos = System.nanoTime();

    private PlainWebSocketHandler(Channel channel, EngineIoOptions options, OutboundMemoryGuard memoryGuard) {
        this.channel = channel;
        this.options = options;
        this.memoryGuard = memoryGuard;
    }

    /** Answers 101 and turns the pipeline into a plain WebSocket one; {@code httpHandler} is removed. */
    static void accept(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs, WebSocketRoute route,
                       EngineIoOptions options, WebSocketDecoderConfig wsConfig, Object httpHandler,
                       OutboundMemoryGuard memoryGuard) {
        Channel ch = ctx.channel();
        RouteRequest request = new RouteRequest(req, qs, (InetSocketAddress) ch.remoteAddress());
        HttpReply refusal;
        try {
            refusal = route.admit(request);
        } catch (RuntimeException e) {
            log.warn("websocket route admit failed path={}", qs.path(), e);
            refusal = HttpReply.text(500, "Internal error");
        }
        if (refusal != null) {
            HttpResponses.write(ch, false, io.netty.handler.codec.http.HttpResponseStatus.valueOf(refusal.status()),
                    refusal.contentType(), Unpooled.wrappedBuffer(refusal.body()), null);
            return;
        }
        String url = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null, wsConfig).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ch).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        PlainWebSocketHandler handler = new PlainWebSocketHandler(ch, options, memoryGuard);
        ChannelPipeline pipeline = ctx.pipeline();
        handshaker.handshake(ch, req).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (pipeline.get("http-idle") != null) pipeline.remove("http-idle");
        HttpReadBackpressure.remove(pipeline);
        pipeline.addLast("ws-idle", new IdleStateHandler(options.pingInterval().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("ws-utf8", new Utf8FrameValidator(true));
        pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(options.maxPayload()));
        pipeline.addLast("ws-plain", handler);
        pipeline.remove((io.netty.channel.ChannelHandler) httpHandler);
        memoryGuard.watch(handler);
        try {
            handler.listener = route.onOpen(handler, request);
        } catch (RuntimeException e) {
            log.warn("websocket route open failed path={}", qs.path(), e);
            handler.close(1011, "internal error");
        }
    }

    // ---- PlainWebSocket

    @Override
    public boolean sendText(byte[] utf8) {
        if (closing || !channel.isActive()) return false;
        long pending = pendingBytes();
        if (pending > options.outboundHardLimit()) {
            cut("slow_consumer");
            return false;
        }
        if (pending > OutboundMemoryGuard.FLOOR) memoryGuard.check();
        channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)), channel.voidPromise());
        return true;
    }

    @Override
    public void close(int code, String reason) {
        if (closing) return;
        closing = true;
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        // bounded, as for Engine.IO sessions: a client that does not read never lets the close frame out
        channel.eventLoop().schedule(() -> channel.close(), WebSocketTransport.GRACEFUL_CLOSE_BOUND_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean isOpen() {
        return !closing && channel.isActive();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public long bufferedBytes() {
        return pendingBytes();
    }

    @Override
    public boolean closing() {
        return closing;
    }

    /** Cut by the {@link OutboundMemoryGuard}: closed at once, what it holds dropped. */
    @Override
    public void shedForMemory() {
        cut("memory_shed");
    }

    /** Closed at once, what it holds dropped; {@code event} names the bound that cut it. */
    private void cut(String event) {
        if (closing) return;
        closing = true;
        log.warn("event={} transport=plain-websocket remote={} pendingBytes={}", event, channel.remoteAddress(),
                pendingBytes());
        channel.close(); // a close frame would queue behind what the client is not reading
    }

    private long pendingBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    // ---- inbound, on the I/O thread

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = System.nanoTime();
        try {
            if (msg instanceof TextWebSocketFrame text) {
                if (listener != null && !closing) listener.onText(text.text());
            } else if (msg instanceof BinaryWebSocketFrame binary) {
                if (listener != null && !closing) listener.onBinary(ByteBufUtil.getBytes(binary.content()));
            } else if (msg instanceof PingWebSocketFrame ping) {
                // a client reading nothing gets no more pongs: they would pile up in memory
                if (ctx.channel().isWritable()) ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (msg instanceof CloseWebSocketFrame) {
                closing = true;
                ctx.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
            } else if (!(msg instanceof PongWebSocketFrame)) {
                ctx.close();
            }
        } catch (RuntimeException e) {
            log.warn("plain websocket listener failed remote={}", channel.remoteAddress(), e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle && idle.isFirst()) {
            long pingSent = System.nanoTime();
            ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
            ctx.executor().schedule(() -> {
                if (lastReadNanos - pingSent < 0 && ctx.channel().isActive()) {
                    log.debug("plain websocket ping timeout remote={}", ctx.channel().remoteAddress());
                    close(1001, "ping timeout");
                }
            }, options.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } else if (!(evt instanceof IdleStateEvent)) {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        memoryGuard.forget(this);
        WebSocketRoute.Listener l = listener;
        listener = null;
        if (l != null) {
            try {
                l.onClose();
            } catch (RuntimeException e) {
                log.warn("plain websocket close listener failed", e);
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("plain websocket error remote={} error={}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
