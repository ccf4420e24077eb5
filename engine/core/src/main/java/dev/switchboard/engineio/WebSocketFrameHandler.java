package dev.switchboard.engineio;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of a WebSocket pipeline: turns frames into transport events. It also does the work of Netty's
 * Utf8FrameValidator and WebSocketFrameAggregator, which would be two more handlers and contexts on every
 * connection (~220 bytes together, idle or not): clients send a message as one frame, so the state for a message
 * in several frames exists only while one arrives. Invalid UTF-8 closes with 1007, a message over
 * {@code maxMessageBytes} with 1009, a continuation out of place with 1002 — the codes {@code ws} uses.
 */
final class WebSocketFrameHandler extends ChannelInboundHandlerAdapter {
    /** Past this many parts the composite buffer merges them: a message in tiny frames stays one buffer's worth. */
    private static final int MAX_COMPONENTS = 1024;
    private final WebSocketTransport transport;
    private final int maxMessageBytes;
    /** The frames so far of a message sent in several; null between messages. */
    private CompositeByteBuf fragments;
    private boolean fragmentsAreText;
    /** Set once the connection is refused: frames still in flight are dropped, the error is reported once. */
    private boolean refused;

    WebSocketFrameHandler(WebSocketTransport transport, int maxMessageBytes) {
        this.transport = transport;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (refused) {
                return;
            }
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                onDataFrame(ctx, (WebSocketFrame) msg);
            } else if (msg instanceof ContinuationWebSocketFrame continuation) {
                onContinuation(ctx, continuation);
            } else if (msg instanceof PingWebSocketFrame ping) {
                // a client reading nothing gets no more pongs: they would pile up in memory
                if (ctx.channel().isWritable()) ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (msg instanceof CloseWebSocketFrame) {
                ctx.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
            } else if (!(msg instanceof PongWebSocketFrame)) {
                ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onDataFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
        boolean text = frame instanceof TextWebSocketFrame;
        if (fragments != null) {
            refuse(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "new message before the last one's final frame");
        } else if (frame.isFinalFragment()) {
            deliver(ctx, text, frame.content());
        } else {
            fragments = ctx.alloc().compositeBuffer(MAX_COMPONENTS);
            fragmentsAreText = text;
            append(ctx, frame.content());
        }
    }

    private void onContinuation(ChannelHandlerContext ctx, ContinuationWebSocketFrame frame) {
        if (fragments == null) {
            refuse(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "continuation frame without a message to continue");
            return;
        }
        if (!append(ctx, frame.content()) || !frame.isFinalFragment()) {
            return;
        }
        CompositeByteBuf message = fragments;
        fragments = null;
        try {
            deliver(ctx, fragmentsAreText, message);
        } finally {
            message.release();
        }
    }

    /** Adds a frame's bytes to the message being assembled; false (and the connection refused) past the limit. */
    private boolean append(ChannelHandlerContext ctx, ByteBuf content) {
        if (fragments.readableBytes() + content.readableBytes() > maxMessageBytes) {
            refuse(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, "message exceeds " + maxMessageBytes + " bytes");
            return false;
        }
        if (content.isReadable()) { // empty continuations would cost a part each and count as no bytes
            fragments.addComponent(true, content.retain());
        }
        return true;
    }

    private void deliver(ChannelHandlerContext ctx, boolean text, ByteBuf content) {
        if (!text) {
            transport.onBinary(ByteBufUtil.getBytes(content));
        } else if (ByteBufUtil.isText(content, StandardCharsets.UTF_8)) {
            transport.onText(content.toString(StandardCharsets.UTF_8));
        } else {
            refuse(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "text frame is not valid UTF-8");
        }
    }

    /** Closes with {@code status} (the close frame first); the transport learns of it as an error. */
    private void refuse(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
        refused = true;
        releaseFragments();
        ctx.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(ChannelFutureListener.CLOSE);
        transport.onError(new CorruptedWebSocketFrameException(status, reason));
    }

    private void releaseFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseFragments();
        transport.onClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        transport.onError(cause);
        ctx.close();
    }
}
