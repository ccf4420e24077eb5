package dev.switchboard.engineio;

import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
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
 * The session keeps the state machine, the outbox and the heartbeat; what carries the packets is its
 * {@link Transport} (polling, then perhaps a WebSocket after an {@link Upgrade}).
 */
final class EngineSession implements EngineSocket, OutboundHolder {
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
        CLIENT_CLOSE;

        /** Whether queued packets are dropped rather than delivered. */
        boolean drops() {
            return this == DROP || this == CLIENT_CLOSE;
        }
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
    private final OutboundMemoryGuard memoryGuard;
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
    private volatile Listener listener;
    private volatile Transport transport; // set when opened
    private volatile Upgrade upgrade; // while a WebSocket is offered to a polling session

    // event loop only
    private final ArrayDeque<Object> outbox = new ArrayDeque<>(3); // grows when a burst queues up
    private State state = State.OPEN;
    private String closeReason;
    private boolean closeDelivered;
    private ScheduledFuture<?> pingTimer;
    private ScheduledFuture<?> pingTimeoutTimer;
    private ScheduledFuture<?> closeTimer;

    EngineSession(String sid, int protocol, EngineRequest request, EventLoop loop, EngineIoOptions options,
                  SessionRegistry registry, SessionAdmission.Ticket admission, OutboundMemoryGuard memoryGuard) {
        this.sid = sid;
        this.protocol = protocol;
        this.request = request;
        this.loop = loop;
        this.options = options;
        this.registry = registry;
        this.arrivals = new ArrivalOrder(loop, logId(), options.maxQueuedInboundPackets(), options.maxQueuedInboundBytes());
        this.admission = admission;
        this.memoryGuard = memoryGuard;
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
        Transport t = transport;
        return t == null ? null : t.name();
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
        if (!open || upgrade != null) return false;
        Transport t = transport;
        if (t == null || !t.writable() || bufferedBytes() > options.outboundSoftLimit()) return false;
        send(messages);
        return true;
    }

    @Override
    public long bufferedBytes() {
        Transport t = transport;
        return queuedBytes + (t == null ? 0 : t.pendingBytes());
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
        return "EngineSession{session=" + logId() + ", transport=" + transportName() + ", protocol=" + protocol + '}';
    }

    // ------------------------------------------------------------------ opening (on the loop)

    void openWithPolling(PollRequest handshakeGet, Consumer<EngineSocket> onConnection) {
        if (!handshakeGet.channel.isActive()) {
            admission.release();
            return; // decoded after its connection closed (pipelined behind a Connection: close request): no session
        }
        PollingTransport polling = new PollingTransport(this, protocol);
        transport = polling;
        polling.park(handshakeGet); // parked first: even a handler failure gets its answer on it
        open(onConnection, options.transports().contains("websocket"));
    }

    void openWithWebSocket(WebSocketTransport ws, Consumer<EngineSocket> onConnection) {
        ws.bind(this);
        transport = ws;
        open(onConnection, false);
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
        log.debug("engine.io session open session={} transport={} protocol={} remote={}", logId(), transportName(), protocol,
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
        if (state != State.OPEN) return;
        drainInbox();
        writeOutbox();
    }

    // ------------------------------------------------------------------ outbound

    private void enqueue(Object item, long size) {
        inbox.add(item);
        long queued = QUEUED_BYTES.addAndGet(this, size);
        Transport t = transport;
        long buffered = queued + (t == null ? 0 : t.pendingBytes());
        if (buffered > options.outboundHardLimit()) {
            slowConsumer();
            return;
        }
        if (buffered > OutboundMemoryGuard.FLOOR) memoryGuard.check();
        if (FLUSH_SCHEDULED.compareAndSet(this, 0, 1)) execute(flushTask);
    }

    @Override
    public boolean closing() {
        return !open || slowConsumerSeen != 0;
    }

    /** Cut by the {@link OutboundMemoryGuard}: closed as a slow consumer, what it holds dropped. */
    @Override
    public void shedForMemory() {
        cutAsSlowConsumer("memory_shed");
    }

    private void slowConsumer() {
        cutAsSlowConsumer("slow_consumer");
    }

    /** Closed once as a slow consumer, what it holds dropped; {@code event} names the bound that cut it. */
    private void cutAsSlowConsumer(String event) {
        if (SLOW_CONSUMER_SEEN.compareAndSet(this, 0, 1)) {
            log.warn("event={} session={} transport={} bufferedBytes={} hardLimit={} remote={}", event, logId(),
                    transportName(), bufferedBytes(), options.outboundHardLimit(), request.remoteAddress());
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

    /** Hands the outbox to the transport if it can take it now; held back while an upgrade runs. */
    private void writeOutbox() {
        if (outbox.isEmpty() || upgrade != null) return;
        Transport t = transport;
        if (t.readyToSend()) t.send(outbox);
    }

    /** Bytes a transport took from the outbox and handed to its connection. */
    void released(long bytes) {
        QUEUED_BYTES.addAndGet(this, -bytes);
    }

    /** Control packets count toward no message bound: past the hard limit they too end the session. */
    private void sendControl(OutboundControl packet) {
        drainInbox();
        outbox.add(packet);
        writeOutbox();
        long buffered = bufferedBytes();
        if (buffered > options.outboundHardLimit()) {
            slowConsumer();
        } else if (buffered > OutboundMemoryGuard.FLOOR) {
            memoryGuard.check();
        }
    }

    /** v3: a pong per ping, but one still waiting for a poll answers every ping after it. */
    private void answerV3Ping() {
        drainInbox();
        if (outbox.peekLast() != OutboundControl.PONG) sendControl(OutboundControl.PONG);
    }

    // ------------------------------------------------------------------ inbound (on the loop)

    void onPollGet(PollRequest get) {
        PollingTransport p = pollingFor(get);
        if (p != null) p.onGet(get);
    }

    void onPollPost(PollRequest post) {
        PollingTransport p = pollingFor(post);
        if (p == null) return;
        if (state == State.CLOSING) {
            PollingTransport.acknowledge(post);
            return;
        }
        p.onPost(post);
    }

    /** The transport a poll is for, or null when the request got its error: the sid is gone or past polling. */
    private PollingTransport pollingFor(PollRequest request) {
        if (state == State.CLOSED) {
            request.error(HttpResponses.UNKNOWN_SID);
            return null;
        }
        PollingTransport p = polling();
        if (p == null) request.error(HttpResponses.BAD_REQUEST); // upgraded: polls are over (Node: transport mismatch)
        return p;
    }

    private PollingTransport polling() {
        return transport instanceof PollingTransport p ? p : null;
    }

    /** The transport can take packets (a GET was parked). */
    void onReady(Transport t) {
        if (t != transport) return;
        if (state == State.CLOSING) {
            t.send(outbox); // ends with the close packet
            finish();
            return;
        }
        Upgrade u = upgrade;
        if (u != null) {
            u.onPollParked();
            return;
        }
        drainInbox();
        writeOutbox();
    }

    void onPacket(Transport t, InboundPacket packet) {
        if (t == transport) {
            onPacket(packet);
        } else if (isCandidate(t)) {
            onUpgradePacket(upgrade, packet);
        }
    }

    /**
     * The transport broke: {@code reason} in Node's words ("parse error", "transport error", "transport close"),
     * {@code detail} for the log. An upgrade candidate is given up; the session's own transport ends the session.
     */
    void onTransportDown(Transport t, String reason, String detail) {
        if (isCandidate(t)) {
            abortUpgrade(reason);
        } else if (t == transport) {
            log.debug("engine.io transport down session={} transport={} reason={} detail={}", logId(), t.name(), reason,
                    detail);
            closeOnLoop(reason, CloseMode.DROP);
        }
    }

    private boolean isCandidate(Transport t) {
        Upgrade u = upgrade;
        return u != null && t == u.candidate;
    }

    private void onPacket(InboundPacket packet) {
        if (state != State.OPEN) return;
        if (log.isDebugEnabled()) log.debug("engine.io packet in session={} type={}", logId(), packet.type());
        if (protocol == 3) resetV3Timeout();
        switch (packet.type()) {
            case PacketType.MESSAGE -> deliver(packet);
            case PacketType.PING -> {
                if (protocol == 3) {
                    answerV3Ping();
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
        if (state != State.OPEN || polling() == null || upgrade != null) {
            log.debug("engine.io upgrade refused session={} state={} transport={} upgrading={}", logId(), state,
                    transportName(), upgrade != null);
            t.closeAfterHandshake();
            return;
        }
        t.bind(this);
        upgrade = new Upgrade(transport, t, loop.schedule(() -> abortUpgrade("upgrade timeout"),
                options.upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS));
        log.debug("engine.io upgrade started session={}", logId());
    }

    private void onUpgradePacket(Upgrade u, InboundPacket packet) {
        if (state != State.OPEN) return;
        switch (u.onPacket(packet)) {
            case COMPLETE -> completeUpgrade(u);
            case ABORT -> abortUpgrade("unexpected packet");
            case WAIT -> {
            }
        }
    }

    private void completeUpgrade(Upgrade u) {
        u.end(true);
        transport.discard();
        transport = u.candidate;
        upgrade = null;
        log.debug("engine.io upgraded session={}", logId());
        drainInbox();
        writeOutbox();
    }

    private void abortUpgrade(String why) {
        Upgrade u = upgrade;
        if (u == null) return;
        upgrade = null;
        u.end(false);
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
        registry.closing();
        cancel(pingTimer);
        cancel(pingTimeoutTimer);
        Upgrade u = upgrade;
        if (u != null) {
            upgrade = null;
            u.end(false);
        }
        drainInbox();
        if (mode.drops()) discardOutbox();
        notifyClose(reason);

        if (transport.close(outbox, mode)) {
            finish();
            return;
        }
        switch (mode) {
            case AWAIT_DELIVERY -> {
                long waitMs = Math.min(30_000, options.pingInterval().toMillis() + options.pingTimeout().toMillis());
                closeTimer = loop.schedule(this::finish, waitMs, TimeUnit.MILLISECONDS);
            }
            // a poll the client sent before its close may still be on its way, read by another I/O loop that ran
            // later than this one: it gets the noop too, not a 400; the sid is forgotten at the latest after this
            case CLIENT_CLOSE -> closeTimer = loop.schedule(this::finish, CLIENT_CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
            default -> finish();
        }
    }

    private void finish() {
        if (state == State.CLOSED) return;
        state = State.CLOSED;
        cancel(closeTimer);
        discardOutbox();
        drainInbox();
        registry.remove(this);
        admission.release();
    }

    private void notifyClose(String reason) {
        closeReason = reason;
        log.debug("engine.io session closed session={} transport={} reason={} remote={}", logId(), transportName(), reason,
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

    /**
     * {@link #runInArrivalOrder} for a client's packet of {@code bytes}; false (nothing queued) past the bound on
     * packets waiting for the session's loop: the caller stops reading and calls {@link #inboundOverflow}.
     */
    boolean runPacketInArrivalOrder(Runnable task, int bytes) {
        return arrivals.submitPacket(task, bytes);
    }

    /**
     * The client sent more than the session's loop could take (see {@link #runPacketInArrivalOrder}) over a
     * connection of transport {@code via}: the session ends, after what was queued before.
     */
    void inboundOverflow(String via) {
        log.warn("event=arrival_overflow session={} via={} queuedPackets={} queuedBytes={} maxPackets={} maxBytes={}"
                        + " remote={}", logId(), via, arrivals.queuedPackets(), arrivals.queuedBytes(),
                options.maxQueuedInboundPackets(), options.maxQueuedInboundBytes(), request.remoteAddress());
        runInArrivalOrder(() -> closeOnLoop("transport error", CloseMode.DROP));
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
