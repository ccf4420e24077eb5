package dev.switchboard.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deadline for each whole request head (slowloris): from the connection's start, or from the first byte of a
 * later request on a kept-alive connection, until the head is decoded. Unlike an idle timeout, bytes arriving
 * one at a time do not extend it. A connection past it is closed. Two handlers share one state: {@link #bytes()}
 * sits before the HTTP codec and sees the raw bytes, {@link #decoded()} after it and sees the decoded request.
 * They are removed once the connection becomes a WebSocket (an upgrade request that is refused or answered as
 * plain HTTP leaves them in place: the next head on the connection has its deadline too).
 */
final class RequestHeadDeadline {
    static final String BYTES = "head-deadline";
    static final String DECODED = "head-decoded";
    /** Where Netty's WebSocket handshaker puts its frame decoder once it answers 101. */
    private static final String WS_DECODER = "wsdecoder";

    private enum State { HEAD, BODY, BETWEEN }

    private final long timeoutNanos;
    private final RefusalLog refusals;
    private State state = State.HEAD; // the first head is due from the connection's start
    private ScheduledFuture<?> timer;

    private RequestHeadDeadline(long timeoutNanos, RefusalLog refusals) {
        this.timeoutNanos = timeoutNanos;
        this.refusals = refusals;
    }

    /** Adds both handlers around the codec named {@code codec}, already in the pipeline. */
    static void install(ChannelPipeline p, String codec, long timeoutMillis, RefusalLog refusals) {
        RequestHeadDeadline d = new RequestHeadDeadline(TimeUnit.MILLISECONDS.toNanos(timeoutMillis), refusals);
        p.addBefore(codec, BYTES, d.bytes());
        p.addAfter(codec, DECODED, d.decoded());
    }

    private ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                start(ctx);
                super.channelActive(ctx);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (state == State.BETWEEN && msg instanceof ByteBuf buf && buf.isReadable()) {
                    if (ctx.pipeline().get(WS_DECODER) != null) {
                        remove(ctx.pipeline()); // the connection became a WebSocket: frames, not request heads
                    } else {
                        state = State.HEAD;
                        start(ctx);
                    }
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                cancel();
                super.channelInactive(ctx);
            }

            @Override
            public void handlerRemoved(ChannelHandlerContext ctx) {
                cancel();
            }
        };
    }

    private ChannelInboundHandlerAdapter decoded() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof HttpRequest) {
                    cancel();
                    state = State.BODY;
                }
                if (msg instanceof LastHttpContent && state == State.BODY) state = State.BETWEEN;
                super.channelRead(ctx, msg);
            }
        };
    }

    private void start(ChannelHandlerContext ctx) {
        cancel();
        timer = ctx.executor().schedule(() -> {
            if (state == State.HEAD && ctx.channel().isActive()) {
                refusals.refused("request_head_timeout", ctx.channel().remoteAddress());
                ctx.channel().close();
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Removes both handlers (the connection became a WebSocket). */
    static void remove(ChannelPipeline p) {
        if (p.get(BYTES) != null) p.remove(BYTES);
        if (p.get(DECODED) != null) p.remove(DECODED);
    }
}
