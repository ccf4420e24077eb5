package dev.switchboard.engineio;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO session. All state changes run on the session's event loop (the loop of the connection that
 * opened it); {@link #send} and friends may be called from any thread: they enqueue and schedule one flush task,
 * so everything sent between two runs of the loop leaves in one write batch (one flush, one polling payload).
 */
final class EngineSession implements EngineSocket {
    private static final Logger log = LoggerFactory.getLogger(EngineSession.class);

    /** What a close does with packets still queued. */
    enum CloseMode {
        /** Deliver them (polling: wait for the next GET, bounded) plus a close packet. */
        AWAIT_DELIVERY,
        /** Deliver what can leave now, do not wait for a poll. */
        FLUSH,
        /** The peer is gone or misbehaved: drop them. */
        DROP,
        /**
         * The client sent a close packet: drop them; a pending poll is released with a noop (the client asked for
         * the close and needs no close packet back), as Node's server does, and so is a poll arriving within
         * {@link #CLIENT_CLOSE_GRACE_MS}.
         */
        CLIENT_CLOSE
    }

    private enum State { OPEN, CLOSING, CLOSED }

    /** How long a session closed by its client over polling waits for a poll sent before the close. */
    static final long CLIENT_CLOSE_GRACE_MS = 1_000;

    private final String sid;
    private final int protocol;
    private final EngineRequest request;
    final EventLoop loop;
    private final EngineIoOptions options;
    private final SessionRegistry registry;
    private final SessionAdmission.Ticket admission;
    private final long serial = SERIALS.incrementAndGet(); // names the session in logs: the sid is a bearer secret
    private static final java.util.concurrent.atomic.AtomicLong SERIALS = new java.util.concurrent.atomic.AtomicLong();

    // shared with other threads
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    // plain fields behind updaters rather than Atomic* objects: every open session holds them (idle memory)
    private static final AtomicLongFieldUpdater<EngineSession> QUEUED_BYTES =
            AtomicLongFieldUpdater.newUpdater(EngineSession.class, "queuedBytes");
    private static final AtomicIntegerFieldUpdater<EngineSession> FLUSH_SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(EngineSession.class, "flushScheduled");
    private static final AtomicIntegerFieldUpdater<EngineSession> SLOW_CONSUMER_SEEN =
            AtomicIntegerFieldUpdater.newUpdater(EngineSession.class, "slowConsumerSeen");
    private volatile long queuedBytes;
    private volatile int flushScheduled;
    private volatile int slowConsumerSeen;
    private final ArrivalOrder arrivals;
    private final Runnable flushTask = this::flushOnLoop;
    private final Runnable pingTask = this::ping;
    private final Runnable pingTimeoutTask = () -> closeOnLoop("ping timeout", CloseMode.DROP);
    private volatile boolean open = true;
    private volatile boolean upgrading;
    private volatile String transportName;
    private volatile Listener listener;
    private volatile PollingTransport polling;
    private volatile WebSocketTransport ws;

    // event loop only
    private final ArrayDeque<Object> outbox = new ArrayDeque<>(3); // grows when a burst queues up
    private State state = State.OPEN;
    private WebSocketTransport candidate;
    private boolean probed;
    private String closeReason;
    private boolean closeDelivered;
    private ScheduledFuture<?> pingTimer;
    private ScheduledFuture<?> pingTimeoutTimer;
    private ScheduledFuture<?> upgradeTimer;
    private ScheduledFuture<?> closeTimer;

    EngineSession(String sid, int protocol, EngineRequest request, EventLoop loop, EngineIoOptions options,
                  SessionRegistry registry, SessionAdmission.Ticket admission) {
        this.sid = sid;
        this.protocol = protocol;
        this.request = request;
        this.loop = loop;
        this.options = options;
        this.registry = registry;
        this.arrivals = new ArrivalOrder(loop, logId());
        this.admission = admission;
    }

    // ------------------------------------------------------------------ EngineSocket

    @Override
    public String id() {
        return sid;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public EngineRequest request() {
        return request;
    }

    @Override
    public String transportName() {
        return transportName;
    }

    @Override
    public void send(EngineMessage... messages) {
        if (messages.length == 0 || !open) return;
        if (messages.length == 1) {
            enqueue(messages[0], messages[0].wireSize());
        } else {
            enqueue(messages, OutboundSizes.sizeOf(messages));
        }
    }

    @Override
    public boolean sendVolatile(EngineMessage... messages) {
        if (!open || upgrading) return false;
        WebSocketTransport w = ws;
        PollingTransport p = polling;
        boolean writable = w != null ? w.writable() : p != null && p.writable();
        if (!writable || bufferedBytes() > options.outboundSoftLimit()) return false;
        send(messages);
        return true;
    }

    @Override
    public long bufferedBytes() {
        WebSocketTransport w = ws;
        return queuedBytes + (w == null ? 0 : w.pendingBytes());
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close(String reason) {
        execute(() -> closeOnLoop(reason, CloseMode.AWAIT_DELIVERY));
    }

    @Override
    public void setListener(Listener listener) {
        this.listener = listener;
        if (!open) execute(this::deliverCloseIfMissed);
    }

    @Override
    public String logId() {
        return "e" + serial;
    }

    @Override
    public String toString() {
        return "EngineSession{session=" + logId() + ", transport=" + transportName + ", protocol=" + protocol + '}';
    }

    // ------------------------------------------------------------------ opening (on the loop)

    void openWithPolling(PollRequest handshakeGet, Consumer<EngineSocket> onConnection) {
        if (!handshakeGet.channel.isActive()) {
            admission.release();
            return; // decoded after its connection closed (pipelined behind a Connection: close request): no session
        }
        polling = new PollingTransport(this);
        transportName = "polling";
        polling.park(handshakeGet); // parked first: even a handler failure gets its answer on it
        open(onConnection, options.transports().contains("websocket"));
        if (state != State.OPEN) return;
        drainInbox();
        writeOutbox();
    }

    void openWithWebSocket(WebSocketTransport transport, Consumer<EngineSocket> onConnection) {
        transport.bind(this);
        ws = transport;
        transportName = "websocket";
        open(onConnection, false);
        if (state != State.OPEN) return;
        drainInbox();
        writeOutbox();
    }

    private void open(Consumer<EngineSocket> onConnection, boolean canUpgrade) {
        outbox.add(OutboundControl.open("{\"sid\":\"" + sid + "\",\"upgrades\":" + (canUpgrade ? "[\"websocket\"]" : "[]")
                + ",\"pingInterval\":" + options.pingInterval().toMillis()
                + ",\"pingTimeout\":" + options.pingTimeout().toMillis()
                + ",\"maxPayload\":" + options.maxPayload() + "}"));
        if (state != State.OPEN) {
            return; // closed while parking the handshake: finish() already ran, so never register it
        }
        registry.add(this);
        log.debug("engine.io session open session={} transport={} protocol={} remote={}", logId(), transportName, protocol,
                request.remoteAddress());
        if (protocol == 3) {
            resetV3Timeout();
        } else {
            schedulePing();
        }
        try {
            onConnection.accept(this);
        } catch (RuntimeException e) {
            log.warn("engine.io connection handler failed session={}", logId(), e);
            closeOnLoop("forced close", CloseMode.FLUSH);
        }
    }

    // ------------------------------------------------------------------ outbound

    private void enqueue(Object item, long size) {
        inbox.add(item);
        long queued = QUEUED_BYTES.addAndGet(this, size);
        WebSocketTransport w = ws;
        if (queued + (w == null ? 0 : w.pendingBytes()) > options.outboundHardLimit()) {
            slowConsumer();
            return;
        }
        if (FLUSH_SCHEDULED.compareAndSet(this, 0, 1)) execute(flushTask);
    }

    private void slowConsumer() {
        if (SLOW_CONSUMER_SEEN.compareAndSet(this, 0, 1)) {
            log.warn("event=slow_consumer session={} transport={} bufferedBytes={} hardLimit={} remote={}",
                    logId(), transportName, bufferedBytes(), options.outboundHardLimit(), request.remoteAddress());
            execute(() -> closeOnLoop(EngineSocket.SLOW_CONSUMER, CloseMode.DROP));
        }
    }

    private void flushOnLoop() {
        flushScheduled = 0;
        drainInbox();
        if (state == State.OPEN) writeOutbox();
    }

    private void drainInbox() {
        Object item;
        if (state == State.CLOSED) {
            while ((item = inbox.poll()) != null) QUEUED_BYTES.addAndGet(this, -OutboundSizes.sizeOf(item));
            return;
        }
        while ((item = inbox.poll()) != null) outbox.add(item);
    }

    /** Hands the outbox to the transport if it can take it now; held back on polling while an upgrade runs. */
    private void writeOutbox() {
        if (outbox.isEmpty()) return;
        WebSocketTransport w = ws;
        if (w != null) {
            if (w.channel.eventLoop() == loop) {
                long bytes = 0;
                Object item;
                while ((item = outbox.poll()) != null) {
                    bytes += OutboundSizes.sizeOf(item);
                    w.write(item);
                }
                QUEUED_BYTES.addAndGet(this, -bytes);
                w.flush();
            } else {
                writeOnChannelLoop(w);
            }
        } else {
            PollingTransport p = polling;
            if (p != null && p.hasPendingGet() && candidate == null) respondPoll(p);
        }
    }

    /**
     * The WebSocket lives on another loop (an upgraded session whose poll came in elsewhere): hand the whole batch
     * over as one task there instead of one write task per frame.
     */
    private void writeOnChannelLoop(WebSocketTransport w) {
        Object[] batch = outbox.toArray();
        outbox.clear();
        long bytes = 0;
        for (Object item : batch) bytes += OutboundSizes.sizeOf(item);
        long batchBytes = bytes;
        try {
            w.channel.eventLoop().execute(() -> {
                for (Object item : batch) w.write(item);
                w.flush();
                QUEUED_BYTES.addAndGet(this, -batchBytes); // now counted by the channel's outbound buffer
            });
        } catch (RejectedExecutionException e) {
            QUEUED_BYTES.addAndGet(this, -batchBytes);
        }
    }

    private void respondPoll(PollingTransport p) {
        List<Object> items = new ArrayList<>(outbox);
        outbox.clear();
        long bytes = 0;
        for (Object item : items) bytes += OutboundSizes.sizeOf(item);
        QUEUED_BYTES.addAndGet(this, -bytes);
        p.respond(items, protocol);
    }

    private void sendControl(OutboundControl packet) {
        drainInbox();
        outbox.add(packet);
        writeOutbox();
    }

    // ------------------------------------------------------------------ inbound (on the loop)

    void onPollGet(PollRequest get) {
        PollingTransport p = polling;
        if (state == State.CLOSED) {
            get.error(HttpResponses.UNKNOWN_SID);
            return;
        }
        if (p == null) {
            get.error(HttpResponses.BAD_REQUEST);
            return;
        }
        if (p.hasPendingGet()) {
            log.debug("engine.io overlapping poll session={}", logId());
            get.error(HttpResponses.BAD_REQUEST);
            closeOnLoop("transport error", CloseMode.DROP);
            return;
        }
        p.park(get);
        if (state == State.CLOSING) {
            respondPoll(p); // ends with the close packet
            finish();
            return;
        }
        if (candidate != null) {
            // upgrade running: once probed, every poll is released at once so the client can pause polling
            if (probed) p.respond(List.of(OutboundControl.NOOP), protocol);
            return;
        }
        drainInbox();
        writeOutbox();
    }

    void onPollPost(PollRequest post) {
        if (state == State.CLOSED) {
            post.error(HttpResponses.UNKNOWN_SID);
            return;
        }
        if (polling == null) {
            post.error(HttpResponses.BAD_REQUEST);
            return;
        }
        if (state == State.CLOSING) {
            respondOk(post);
            return;
        }
        List<InboundPacket> packets;
        try {
            packets = PacketDecoder.decodePayload(post.body, post.octetStream, protocol);
        } catch (EngineParseException e) {
            log.debug("engine.io bad payload session={} error={}", logId(), e.getMessage());
            post.error(HttpResponses.BAD_REQUEST);
            closeOnLoop("parse error", CloseMode.DROP);
            return;
        }
        respondOk(post);
        for (InboundPacket packet : packets) {
            if (state != State.OPEN) break;
            onPacket(packet);
        }
    }

    private static void respondOk(PollRequest post) {
        post.respond(HttpResponseStatus.OK, HttpResponses.TEXT_HTML, Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
    }

    void onPollAborted() {
        if (state == State.OPEN) closeOnLoop("transport error", CloseMode.DROP);
    }

    void onWebSocketPacket(WebSocketTransport t, InboundPacket packet) {
        if (t == ws) {
            onPacket(packet);
        } else if (t == candidate) {
            onUpgradePacket(t, packet);
        }
    }

    void onWebSocketParseError(WebSocketTransport t, EngineParseException e) {
        if (t == candidate) {
            abortUpgrade("parse error");
        } else if (t == ws) {
            log.debug("engine.io bad packet session={} error={}", logId(), e.getMessage());
            closeOnLoop("parse error", CloseMode.DROP);
        }
    }

    void onWebSocketError(WebSocketTransport t, Throwable cause) {
        if (t == candidate) {
            abortUpgrade("transport error");
        } else if (t == ws) {
            log.debug("engine.io websocket error session={} error={}", logId(), cause.toString());
            closeOnLoop("transport error", CloseMode.DROP);
        }
    }

    void onWebSocketClosed(WebSocketTransport t) {
        if (t == candidate) {
            abortUpgrade("transport close");
        } else if (t == ws) {
            closeOnLoop("transport close", CloseMode.DROP);
        }
    }

    private void onPacket(InboundPacket packet) {
        if (state != State.OPEN) return;
        if (log.isDebugEnabled()) log.debug("engine.io packet in session={} type={}", logId(), packet.type());
        if (protocol == 3) resetV3Timeout();
        switch (packet.type()) {
            case PacketType.MESSAGE -> deliver(packet);
            case PacketType.PING -> {
                if (protocol == 3) {
                    sendControl(OutboundControl.PONG);
                } else {
                    closeOnLoop("transport error", CloseMode.DROP); // invalid heartbeat direction
                }
            }
            case PacketType.PONG -> {
                if (protocol == 3) {
                    closeOnLoop("transport error", CloseMode.DROP);
                } else {
                    cancel(pingTimeoutTimer);
                    schedulePing();
                }
            }
            case PacketType.CLOSE -> closeOnLoop("transport close", CloseMode.CLIENT_CLOSE);
            default -> {
                // open, upgrade and noop carry nothing for an established session
            }
        }
    }

    private void deliver(InboundPacket packet) {
        Listener l = listener;
        if (l == null) {
            log.debug("engine.io message dropped, no listener session={}", logId());
            return;
        }
        try {
            if (packet.isBinary()) {
                l.onBinary(packet.binary());
            } else {
                l.onMessage(packet.text());
            }
        } catch (RuntimeException e) {
            log.warn("engine.io listener failed session={}", logId(), e);
        }
    }

    // ------------------------------------------------------------------ upgrade (on the loop)

    /**
     * A WebSocket connection carrying this sid arrived (its 101 is sent): it becomes the upgrade candidate, unless
     * the session is closing, already upgraded or upgrading; that connection then gets a close frame.
     */
    void offerUpgrade(WebSocketTransport t) {
        if (state != State.OPEN || polling == null || candidate != null || ws != null) {
            log.debug("engine.io upgrade refused session={} state={} upgraded={} upgrading={}", logId(), state, ws != null,
                    candidate != null);
            t.channel.eventLoop().execute(t::closeGracefully); // after the 101, which its loop is writing now
            return;
        }
        t.bind(this);
        candidate = t;
        upgrading = true;
        probed = false;
        upgradeTimer = loop.schedule(() -> abortUpgrade("upgrade timeout"), options.upgradeTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        log.debug("engine.io upgrade started session={}", logId());
    }

    private void onUpgradePacket(WebSocketTransport t, InboundPacket packet) {
        if (state != State.OPEN) return;
        if (packet.type() == PacketType.PING && "probe".equals(packet.text())) {
            // answer the probe first, then release the pending poll: the client pauses polling only after
            // the probe answer, and the released (or any later) poll lets that pause complete
            t.write(OutboundControl.PONG_PROBE);
            t.flush();
            probed = true;
            PollingTransport p = polling;
            if (p.hasPendingGet()) p.respond(List.of(OutboundControl.NOOP), protocol);
        } else if (packet.type() == PacketType.UPGRADE) {
            completeUpgrade();
        } else {
            abortUpgrade("unexpected packet");
        }
    }

    private void completeUpgrade() {
        cancel(upgradeTimer);
        PollingTransport p = polling;
        if (p.hasPendingGet()) p.respond(List.of(OutboundControl.NOOP), protocol);
        polling = null;
        ws = candidate;
        candidate = null;
        upgrading = false;
        transportName = "websocket";
        log.debug("engine.io upgraded session={}", logId());
        drainInbox();
        writeOutbox();
    }

    private void abortUpgrade(String why) {
        if (candidate == null) return;
        cancel(upgradeTimer);
        WebSocketTransport c = candidate;
        candidate = null;
        upgrading = false;
        probed = false;
        c.closeNow();
        log.debug("engine.io upgrade aborted session={} why={}", logId(), why);
        if (state == State.OPEN) {
            drainInbox();
            writeOutbox(); // what was held back leaves over polling
        }
    }

    // ------------------------------------------------------------------ heartbeat (on the loop)

    private void schedulePing() {
        cancel(pingTimer);
        pingTimer = loop.schedule(pingTask, options.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void ping() {
        if (state != State.OPEN) return;
        sendControl(OutboundControl.PING);
        cancel(pingTimeoutTimer);
        pingTimeoutTimer = loop.schedule(pingTimeoutTask, options.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** v3: the client pings; silence for pingInterval + pingTimeout ends the session. */
    private void resetV3Timeout() {
        cancel(pingTimeoutTimer);
        pingTimeoutTimer = loop.schedule(pingTimeoutTask,
                options.pingInterval().toMillis() + options.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ closing (on the loop)

    /** Closes with "server shutting down"; the future completes once the close ran on the session's loop. */
    io.netty.util.concurrent.Future<?> shutdown() {
        try {
            return loop.submit(() -> closeOnLoop("server shutting down", CloseMode.FLUSH));
        } catch (RejectedExecutionException e) {
            return loop.newSucceededFuture(null);
        }
    }

    void closeOnLoop(String reason, CloseMode mode) {
        if (state != State.OPEN) return;
        state = State.CLOSING;
        open = false;
        upgrading = false;
        registry.closing();
        cancel(pingTimer);
        cancel(pingTimeoutTimer);
        cancel(upgradeTimer);
        if (candidate != null) {
            candidate.closeNow();
            candidate = null;
        }
        drainInbox();
        boolean drop = mode == CloseMode.DROP || mode == CloseMode.CLIENT_CLOSE;
        if (drop) discardOutbox();
        notifyClose(reason);

        WebSocketTransport w = ws;
        if (w != null) {
            if (drop) {
                w.closeNow();
            } else {
                writeOutbox();
                w.closeGracefully();
            }
            finish();
            return;
        }
        PollingTransport p = polling;
        outbox.add(mode == CloseMode.CLIENT_CLOSE ? OutboundControl.NOOP : OutboundControl.CLOSE);
        if (p.hasPendingGet()) {
            respondPoll(p);
            finish();
        } else if (mode == CloseMode.AWAIT_DELIVERY) {
            long waitMs = Math.min(30_000, options.pingInterval().toMillis() + options.pingTimeout().toMillis());
            closeTimer = loop.schedule(this::finish, waitMs, TimeUnit.MILLISECONDS);
        } else if (mode == CloseMode.CLIENT_CLOSE) {
            // a poll the client sent before its close may still be on its way, read by another I/O loop that ran
            // later than this one: it gets the noop too, not a 400; the sid is forgotten at the latest after this
            closeTimer = loop.schedule(this::finish, CLIENT_CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
        } else {
            finish();
        }
    }

    private void finish() {
        if (state == State.CLOSED) return;
        state = State.CLOSED;
        cancel(closeTimer);
        PollingTransport p = polling;
        if (p != null) p.abort();
        discardOutbox();
        drainInbox();
        registry.remove(this);
        admission.release();
    }

    private void notifyClose(String reason) {
        closeReason = reason;
        log.debug("engine.io session closed session={} transport={} reason={} remote={}", logId(), transportName, reason,
                request.remoteAddress());
        deliverCloseIfMissed();
    }

    private void deliverCloseIfMissed() {
        Listener l = listener;
        if (closeReason == null || closeDelivered || l == null) return;
        closeDelivered = true;
        try {
            l.onClose(closeReason);
        } catch (RuntimeException e) {
            log.warn("engine.io close listener failed session={}", logId(), e);
        }
    }

    private void discardOutbox() {
        long bytes = 0;
        for (Object item : outbox) bytes += OutboundSizes.sizeOf(item);
        outbox.clear();
        QUEUED_BYTES.addAndGet(this, -bytes);
    }

    // ------------------------------------------------------------------ loop plumbing

    /**
     * Hands an inbound event (a request, a frame, a closed connection) to the session's loop behind every event
     * handed over before it, from whichever I/O loop; on the session's loop it runs now, after those.
     */
    void runInArrivalOrder(Runnable task) {
        arrivals.submit(task);
    }

    private void execute(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("engine.io task rejected, loop shut down session={}", logId());
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) timer.cancel(false);
    }
}
