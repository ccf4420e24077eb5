package dev.switchboard.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/**
 * The long-polling side of a session: at most one pending GET. Confined to the session's event loop, except
 * {@link #writable()}, read from any thread.
 */
final class PollingTransport {
    private final EngineSession session;
    private PollRequest pendingGet;
    private ChannelFutureListener abortListener;
    private volatile boolean writable;

    PollingTransport(EngineSession session) {
        this.session = session;
    }

    boolean hasPendingGet() {
        return pendingGet != null;
    }

    boolean writable() {
        return writable;
    }

    /** Parks a GET until packets are there. Its connection closing first ends the session (as Node does). */
    void park(PollRequest get) {
        pendingGet = get;
        writable = true;
        abortListener = f -> session.runInArrivalOrder(() -> {
            if (pendingGet == get) {
                clear();
                session.onPollAborted();
            }
        });
        get.channel.closeFuture().addListener(abortListener);
    }

    /** Answers the pending GET with these packets (encoded as one payload). */
    void respond(List<Object> items, int protocol) {
        PollRequest get = pendingGet;
        clear();
        ByteBuf body = get.channel.alloc().buffer(estimate(items));
        PayloadEncoder.encode(items, protocol, body);
        get.respond(HttpResponseStatus.OK, HttpResponses.TEXT_PLAIN, body);
    }

    /** Drops the pending GET without an answer (its connection is closed by the caller or already gone). */
    void clear() {
        PollRequest get = pendingGet;
        if (get != null) {
            get.channel.closeFuture().removeListener(abortListener);
            pendingGet = null;
            abortListener = null;
            writable = false;
        }
    }

    /** The pending GET's connection, closed without answer (session torn down without a way to reply). */
    void abort() {
        PollRequest get = pendingGet;
        clear();
        if (get != null) get.channel.close();
    }

    private static int estimate(List<Object> items) {
        int size = 16;
        for (Object item : items) size += OutboundSizes.sizeOf(item) + 8;
        return size;
    }
}
