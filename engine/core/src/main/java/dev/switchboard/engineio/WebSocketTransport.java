package dev.switchboard.engineio;

import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;

/**
 * One WebSocket connection carrying a session (or offered to it as an upgrade). Writes shared, pre-encoded
 * frames ({@code duplicate()}s, no copy, framed once per message); the caller flushes once per batch. Inbound frames are decoded here and
 * handed to the session on its event loop.
 */
final class WebSocketTransport implements Transport {
    static final long GRACEFUL_CLOSE_BOUND_MS = 5_000;

    final Channel channel;
    private final int protocol;
    private final boolean preFramed; // write whole frames (no per-message deflate): no framing per recipient
    private volatile EngineSession session;
    private ChannelHandlerContext encoderContext; // event loop only
    private boolean overflowed; // event loop only: the session's inbound bound was passed, frames are dropped

    WebSocketTransport(Channel channel, int protocol, boolean perMessageDeflate) {
        this.channel = channel;
        this.protocol = protocol;
        this.preFramed = !perMessageDeflate;
    }

    void bind(EngineSession session) {
        this.session = session;
    }

    @Override
    public String name() {
        return "websocket";
    }

    @Override
    public boolean readyToSend() {
        return true;
    }

    @Override
    public void send(ArrayDeque<Object> outbox) {
        if (!channel.eventLoop().inEventLoop()) {
            sendOnChannelLoop(outbox);
            return;
        }
        long bytes = 0;
        Object item;
        while ((item = outbox.poll()) != null) {
            bytes += OutboundSizes.sizeOf(item);
            write(item);
        }
        session.released(bytes);
        channel.flush();
    }

    /**
     * The connection lives on another loop than its session (an upgraded session whose poll came in elsewhere):
     * the whole batch goes over as one task there instead of one write task per frame.
     */
    private void sendOnChannelLoop(ArrayDeque<Object> outbox) {
        EngineSession s = session;
        Object[] batch = outbox.toArray();
        outbox.clear();
        long bytes = 0;
        for (Object item : batch) bytes += OutboundSizes.sizeOf(item);
        long batchBytes = bytes;
        try {
            channel.eventLoop().execute(() -> {
                for (Object item : batch) write(item);
                channel.flush();
                s.released(batchBytes); // now counted by the channel's outbound buffer
            });
        } catch (RejectedExecutionException e) {
            s.released(batchBytes);
        }
    }

    @Override
    public void discard() {
        // nothing held back: a WebSocket is never upgraded from
    }

    /** Unless dropping, the outbox leaves first; the close frame ends the session (no close packet). */
    @Override
    public boolean close(ArrayDeque<Object> outbox, EngineSession.CloseMode mode) {
        if (mode.drops()) {
            closeNow();
        } else {
            if (!outbox.isEmpty()) send(outbox);
            closeGracefully();
        }
        return true;
    }

    /** An upgrade refused: closed gracefully on its own loop, after the 101 that loop is writing now. */
    void closeAfterHandshake() {
        channel.eventLoop().execute(this::closeGracefully);
    }

    /** Queues one item (EngineMessage, EngineMessage[] or OutboundControl) without flushing. */
    private void write(Object item) {
        if (item instanceof EngineMessage m) {
            writeMessage(m);
        } else if (item instanceof EngineMessage[] group) {
            for (EngineMessage m : group) writeMessage(m);
        } else {
            channel.write(new TextWebSocketFrame(((OutboundControl) item).wsFrame.duplicate()), channel.voidPromise());
        }
    }

    private void writeMessage(EngineMessage m) {
        if (preFramed) {
            writeWire(m.wsWire(protocol).duplicate());
            return;
        }
        ByteBuf frame = m.wsFrame(protocol).duplicate();
        channel.write(m.isBinary() ? new BinaryWebSocketFrame(frame) : new TextWebSocketFrame(frame),
                channel.voidPromise());
    }

    /**
     * Writes a whole frame from the frame encoder's place in the pipeline: it needs no encoding, and the handlers
     * between the tail and the encoder (all inbound) need not be walked for every message. Event loop only.
     */
    private void writeWire(ByteBuf frame) {
        ChannelHandlerContext c = encoderContext;
        if (c == null || c.isRemoved()) {
            c = channel.pipeline().context(WebSocketFrameEncoder.class);
            encoderContext = c;
        }
        if (c == null) {
            channel.write(frame, channel.voidPromise());
        } else {
            c.write(frame, c.voidPromise());
        }
    }

    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    /** Bytes written to the channel and not yet handed to the kernel. */
    @Override
    public long pendingBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /**
     * Flushes what was written, sends a close frame, then closes the connection; at the latest after
     * {@link #GRACEFUL_CLOSE_BOUND_MS}, since a client that stopped reading would never let the frame out.
     */
    void closeGracefully() {
        channel.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(this::closeNow, GRACEFUL_CLOSE_BOUND_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void closeNow() {
        channel.close();
    }

    // ---- inbound, called on the channel's event loop by WebSocketFrameHandler

    void onText(String text) {
        EngineSession s = session;
        if (s == null) return;
        InboundPacket packet;
        try {
            packet = EnginePacketDecoder.decodeText(text, protocol);
        } catch (EngineParseException e) {
            s.runInArrivalOrder(() -> s.onTransportDown(this, "parse error", e.getMessage()));
            return;
        }
        handOver(s, packet, text.length());
    }

    void onBinary(byte[] data) {
        EngineSession s = session;
        if (s == null) return;
        InboundPacket packet;
        try {
            packet = EnginePacketDecoder.decodeBinaryFrame(data, protocol);
        } catch (EngineParseException e) {
            s.runInArrivalOrder(() -> s.onTransportDown(this, "parse error", e.getMessage()));
            return;
        }
        handOver(s, packet, data.length);
    }

    /**
     * Past the session's bound on queued packets the connection stops reading, gets a 1008 close frame and the
     * session ends; frames already read behind the one refused are dropped.
     */
    private void handOver(EngineSession s, InboundPacket packet, int bytes) {
        if (overflowed) return;
        if (s.runPacketInArrivalOrder(() -> s.onPacket(this, packet), bytes)) return;
        overflowed = true;
        s.inboundOverflow(name()); // first: its log line shows the queue as it was when the packet was refused
        channel.config().setAutoRead(false);
        channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION, "too many packets queued"))
                .addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(this::closeNow, GRACEFUL_CLOSE_BOUND_MS, TimeUnit.MILLISECONDS);
    }

    void onError(Throwable cause) {
        EngineSession s = session;
        if (s != null) s.runInArrivalOrder(() -> s.onTransportDown(this, "transport error", cause.toString()));
    }

    void onClosed() {
        EngineSession s = session;
        if (s != null) s.runInArrivalOrder(() -> s.onTransportDown(this, "transport close", "connection closed"));
    }
}
