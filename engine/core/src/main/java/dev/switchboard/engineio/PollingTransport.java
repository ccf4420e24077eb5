package dev.switchboard.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * The long-polling side of a session: at most one pending GET, answered with everything queued; POSTs carry the
 * client's packets. Confined to the session's event loop, except {@link #writable()}, read from any thread.
 */
final class PollingTransport implements Transport {
    private final EngineSession session;
    private final int protocol;
    private PollRequest pendingGet;
    private ChannelFutureListener abortListener;
    private volatile boolean writable;
    private static final Channel[] NONE = new Channel[0];
    // connections of answered polls whose answer is not all written yet; replaced, never changed, on the loop
    private volatile Channel[] unreadAnswers = NONE;

    PollingTransport(EngineSession session, int protocol) {
        this.session = session;
        this.protocol = protocol;
    }

    @Override
    public String name() {
        return "polling";
    }

    @Override
    public boolean readyToSend() {
        return pendingGet != null;
    }

    @Override
    public boolean writable() {
        return writable;
    }

    /**
     * What answered polls still hold on their connections: a client that polls again on a new connection without
     * reading the answer would otherwise take another outboundHardLimit with every poll.
     */
    @Override
    public long pendingBytes() {
        long bytes = 0;
        for (Channel channel : unreadAnswers) bytes += pending(channel);
        return bytes;
    }

    private static long pending(Channel channel) {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** Keeps the answered poll's connection while its answer is not all written, forgetting those that drained. */
    private void answered(Channel channel) {
        Channel[] kept = unreadAnswers;
        int n = 0;
        Channel[] next = new Channel[kept.length + 1];
        for (Channel c : kept) {
            if (c != channel && pending(c) > 0) next[n++] = c;
        }
        if (pending(channel) > 0) next[n++] = channel;
        unreadAnswers = n == 0 ? NONE : n == next.length ? next : Arrays.copyOf(next, n);
    }

    /** Parks a GET until packets are there. Its connection closing first ends the session (as Node does). */
    void park(PollRequest get) {
        pendingGet = get;
        writable = true;
        abortListener = f -> session.runInArrivalOrder(() -> {
            if (pendingGet == get) {
                clear();
                session.onTransportDown(this, "transport error", "poll connection closed");
            }
        });
        get.channel.closeFuture().addListener(abortListener);
    }

    /** A poll: parked and the session told; a second one while one waits is a transport error (as in Node). */
    void onGet(PollRequest get) {
        if (pendingGet != null) {
            get.error(HttpResponses.BAD_REQUEST);
            session.onTransportDown(this, "transport error", "overlapping poll");
            return;
        }
        park(get);
        session.onReady(this);
    }

    /** Packets the client posted: answered "ok" once all decode, then handed to the session in order. */
    void onPost(PollRequest post) {
        List<InboundPacket> packets;
        try {
            packets = EnginePacketDecoder.decodePayload(post.body, post.octetStream, protocol);
        } catch (EngineParseException e) {
            post.error(HttpResponses.BAD_REQUEST);
            session.onTransportDown(this, "parse error", e.getMessage());
            return;
        }
        acknowledge(post);
        for (InboundPacket packet : packets) session.onPacket(this, packet);
    }

    /** The answer to a POST whose packets were taken (or ignored, on a closing session). */
    static void acknowledge(PollRequest post) {
        post.respond(HttpResponseStatus.OK, HttpResponses.TEXT_HTML, Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
    }

    /** Answers the pending GET with the whole outbox as one payload. */
    @Override
    public void send(ArrayDeque<Object> outbox) {
        long bytes = 0;
        int estimate = 16;
        for (Object item : outbox) {
            long size = OutboundSizes.sizeOf(item);
            bytes += size;
            estimate += size + 8;
        }
        session.released(bytes);
        answer(outbox, estimate);
        outbox.clear();
    }

    /** A parked GET is answered with a noop, so the client can pause polling for the upgrade. */
    @Override
    public void discard() {
        if (pendingGet != null) answer(List.of(OutboundControl.NOOP), 24);
    }

    /** The session's last words are a close packet (a noop when the client asked for the close) on a GET. */
    @Override
    public boolean close(ArrayDeque<Object> outbox, EngineSession.CloseMode mode) {
        if (mode == EngineSession.CloseMode.DROP) closeUnreadAnswers(); // a slow consumer's answers go with it
        outbox.add(mode == EngineSession.CloseMode.CLIENT_CLOSE ? OutboundControl.NOOP : OutboundControl.CLOSE);
        if (pendingGet == null) return false;
        send(outbox);
        return true;
    }

    /** The pending GET's connection, closed without answer. */
    @Override
    public void closeNow() {
        PollRequest get = pendingGet;
        clear();
        if (get != null) get.channel.close();
        closeUnreadAnswers();
    }

    private void closeUnreadAnswers() {
        for (Channel c : unreadAnswers) {
            if (pending(c) > 0) c.close();
        }
        unreadAnswers = NONE;
    }

    private void answer(Iterable<?> items, int estimate) {
        PollRequest get = pendingGet;
        clear();
        ByteBuf body = get.channel.alloc().buffer(estimate);
        PayloadEncoder.encode(items, protocol, body);
        get.respond(HttpResponseStatus.OK, HttpResponses.TEXT_PLAIN, body);
        answered(get.channel);
    }

    /** Drops the pending GET without an answer (its connection is closed by the caller or already gone). */
    private void clear() {
        PollRequest get = pendingGet;
        if (get != null) {
            get.channel.closeFuture().removeListener(abortListener);
            pendingGet = null;
            abortListener = null;
            writable = false;
        }
    }
}
