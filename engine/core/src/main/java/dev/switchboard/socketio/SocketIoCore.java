package dev.switchboard.socketio;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.engineio.EngineSocket;
import dev.switchboard.engineio.HeldBackLog;
import dev.switchboard.socketio.parser.SocketIoParser;

/**
 * The Socket.IO layer without its transport: namespaces, connected clients, worker pool. Takes Engine.IO
 * sessions through {@link #accept}; {@link SocketIoServer} binds it to a real EngineIoServer.
 */
final class SocketIoCore {
    private static final Logger log = LoggerFactory.getLogger(SocketIoCore.class);

    private final ServerSettings settings;
    private final ObjectMapper mapper;
    private final SocketIoParser.Encoder encoder;
    private final Supplier<SocketIoParser.Decoder> decoders;
    private final AdapterFactory adapterFactory;
    private final BroadcastListener.Factory broadcastListeners;
    private final SocketIoMetricsTracker.Factory trackers;
    private final WorkerPool pool;
    private final ConcurrentHashMap<String, NamespaceImpl> namespaces = new ConcurrentHashMap<>();
    private final Set<ClientConnection> clients = ConcurrentHashMap.newKeySet();
    private final ServerCounters counters = new ServerCounters();
    private final List<SocketObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final HeldBackLog connectRefusals = new HeldBackLog(); // see ClientConnection.logRefused
    private final UnfinishedPackets unfinishedPackets;
    private volatile boolean closing;

    SocketIoCore(ServerSettings settings, ObjectMapper mapper, AdapterFactory adapterFactory) {
        this(settings, mapper, adapterFactory, null);
    }

    /** {@code broadcastListeners}: null when no namespace has a {@link BroadcastListener}. */
    SocketIoCore(ServerSettings settings, ObjectMapper mapper, AdapterFactory adapterFactory,
                 BroadcastListener.Factory broadcastListeners) {
        this(settings, mapper, adapterFactory, broadcastListeners, SocketIoMetricsTracker.Factory.NONE);
    }

    SocketIoCore(ServerSettings settings, ObjectMapper mapper, AdapterFactory adapterFactory,
                 BroadcastListener.Factory broadcastListeners, SocketIoMetricsTracker.Factory trackers) {
        this(settings, mapper, adapterFactory, broadcastListeners, trackers, UnfinishedPackets.defaults());
    }

    SocketIoCore(ServerSettings settings, ObjectMapper mapper, AdapterFactory adapterFactory,
                 BroadcastListener.Factory broadcastListeners, SocketIoMetricsTracker.Factory trackers,
                 UnfinishedPackets unfinishedPackets) {
        this.unfinishedPackets = unfinishedPackets;
        this.trackers = trackers;
        this.settings = settings;
        this.mapper = mapper;
        this.encoder = settings.parser().encoder(mapper);
        this.decoders = settings.parser().decoders(mapper, settings.maxAttachments());
        this.adapterFactory = adapterFactory;
        this.broadcastListeners = broadcastListeners;
        this.pool = new WorkerPool(settings.workerThreads());
        of("/"); // like Node, the main namespace always exists (socket.io-client 2.x joins it implicitly)
    }

    ServerSettings settings() {
        return settings;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** A packet decoder for a new connection. */
    SocketIoParser.Decoder newDecoder() {
        return decoders.get();
    }

    /** The server's one packet encoder (a broadcast is encoded once, with it). */
    SocketIoParser.Encoder encoder() {
        return encoder;
    }

    /** The budget and deadline of binary packets waiting for their attachments, over every connection. */
    UnfinishedPackets unfinishedPackets() {
        return unfinishedPackets;
    }

    /** Tests: {@code measure} summed over the open connections. */
    long sum(java.util.function.ToLongFunction<ClientConnection> measure) {
        long total = 0;
        for (ClientConnection client : clients) {
            total += measure.applyAsLong(client);
        }
        return total;
    }

    WorkerPool pool() {
        return pool;
    }

    HeldBackLog connectRefusals() {
        return connectRefusals;
    }

    ServerCounters counters() {
        return counters;
    }

    /** A recovery store for a new namespace, or null when connection state recovery is off. */
    RecoveryStore newRecoveryStore(String namespace) {
        RecoveryOptions recovery = settings.recovery();
        if (recovery == null) {
            return null;
        }
        return settings.recoveryStores() == null ? new InMemoryRecoveryStore(recovery)
                : settings.recoveryStores().create(namespace, recovery);
    }

    /** The metrics tracker of a new namespace (never null). */
    SocketIoMetricsTracker newTracker(Namespace namespace) {
        return java.util.Objects.requireNonNull(trackers.create(namespace), "metrics tracker of " + namespace.name());
    }

    /** The broadcast listener of a new namespace, or null. */
    BroadcastListener newBroadcastListener(String namespace) {
        return broadcastListeners == null ? null : broadcastListeners.create(namespace);
    }

    void addObserver(SocketObserver observer) {
        observers.add(observer);
    }

    boolean observed() {
        return !observers.isEmpty();
    }

    void notifyObservers(java.util.function.Consumer<SocketObserver> call) {
        for (SocketObserver observer : observers) {
            try {
                call.accept(observer);
            } catch (RuntimeException e) {
                log.warn("event=observer_failed observer={} error={}", observer.getClass().getName(), e.toString());
            }
        }
    }

    boolean isClosing() {
        return closing;
    }

    NamespaceImpl of(String name) {
        if (name == null || !name.startsWith("/") || name.indexOf(',') >= 0 || name.indexOf('?') >= 0) {
            throw new IllegalArgumentException("invalid namespace name: " + name);
        }
        return namespaces.computeIfAbsent(name, n -> new NamespaceImpl(n, this, adapterFactory));
    }

    NamespaceImpl namespace(String name) {
        return namespaces.get(name);
    }

    Collection<Namespace> namespaces() {
        return List.copyOf(namespaces.values());
    }

    /** A new Engine.IO session (called on its I/O thread). */
    void accept(EngineSocket engine) {
        ClientConnection client = new ClientConnection(engine, this);
        if (closing) {
            engine.close("server shutting down");
            return;
        }
        clients.add(client);
        client.start();
    }

    void removeClient(ClientConnection client) {
        if (clients.remove(client)) {
            synchronized (clients) {
                clients.notifyAll();
            }
        }
    }

    int clientCount() {
        return clients.size();
    }

    /** Stops accepting sessions and CONNECTs. */
    void stopAccepting() {
        closing = true;
    }

    /** Closes the sessions still open (the transport, not a Socket.IO DISCONNECT: clients reconnect). */
    void closeAllConnections(String reason) {
        for (ClientConnection client : List.copyOf(clients)) {
            client.closeConnection(reason);
        }
    }

    /** Waits until every session has closed, or the deadline (System.nanoTime) passed. */
    boolean awaitNoClients(long deadlineNanos) {
        synchronized (clients) {
            while (!clients.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    clients.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Lets queued handlers (disconnect handlers included) finish until the deadline, then stops the pool. */
    void shutdown(long deadlineNanos) {
        pool.shutdown(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
        for (NamespaceImpl namespace : namespaces.values()) {
            try {
                namespace.adapter().close();
                namespace.closeJournal();
            } catch (RuntimeException e) {
                log.warn("event=adapter_close_failed namespace={} error={}", namespace.name(), e.toString());
            }
        }
    }
}
