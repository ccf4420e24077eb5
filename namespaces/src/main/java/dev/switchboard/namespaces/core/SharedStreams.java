package dev.switchboard.namespaces.core;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;

/**
 * One upstream per topic, shared by all its subscribers. Subscribers sit in the topic's room, so each event
 * is encoded once and written to all of them. The upstream opens with the first subscriber and closes with
 * the last (unsubscribe or disconnect).
 *
 * <p>Each topic is a small state machine: NEW → OPENING (the first subscriber runs {@code producer.open}, outside
 * the lock: it may block on the backend) → OPEN → CLOSED; or OPENING → CLOSED when the open fails, when the
 * stream ended inside it, or when every subscriber left meanwhile (the upstream it just got is closed at once).
 * Subscribers arriving while it opens wait for it. A socket that is no longer connected is never kept as a
 * subscriber, whichever of its disconnect and its subscribe runs first. {@link #activeStreams()} counts the
 * upstreams opened and not yet closed.
 */
public final class SharedStreams<T> {
    private static final Logger log = LoggerFactory.getLogger(SharedStreams.class);

    private enum State { NEW, OPENING, OPEN, CLOSED }

    private final Namespace namespace;
    private final String kind;
    private final Producer<T> producer;
    private final Function<T, String> topicKey;
    private final Map<T, Stream> streams = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    /**
     * @param kind     what is streamed ("logs", "stats"); rooms are named {@code kind:topicKey}
     * @param topicKey a stable string for a topic, used in the room name
     */
    public SharedStreams(Namespace namespace, String kind, Producer<T> producer, Function<T, String> topicKey) {
        this.namespace = namespace;
        this.kind = kind;
        this.producer = producer;
        this.topicKey = topicKey;
    }

    /** The room whose members receive the topic's events. */
    public String room(T topic) {
        return kind + ":" + topicKey.apply(topic);
    }

    /**
     * Adds the socket to the topic, opening the upstream if it is the first subscriber. Idempotent.
     *
     * @return true when the socket is subscribed; false when it left (disconnected or unsubscribed) before the
     *         stream was ready, in which case it holds nothing
     * @throws ProducerException when the upstream could not be opened, or ended as soon as it opened
     */
    public boolean subscribe(Socket socket, T topic) throws ProducerException {
        while (true) {
            Stream stream = streams.computeIfAbsent(topic, Stream::new);
            boolean opener;
            synchronized (stream) {
                if (stream.state == State.CLOSED) {
                    continue; // lost a race with the last unsubscribe; take a fresh entry
                }
                if (!socket.connected()) {
                    return false;
                }
                if (!stream.members.add(socket.id())) {
                    return true;
                }
                if (stream.state == State.OPEN) {
                    stream.upstream.admit(socket, () -> socket.join(stream.room));
                    return true;
                }
                opener = stream.state == State.NEW;
                if (opener) {
                    stream.state = State.OPENING;
                }
            }
            if (opener) {
                open(stream);
            } else {
                stream.awaitOpened();
            }
            return admitOpened(stream, socket);
        }
    }

    /** Runs the producer for a stream in OPENING and settles it: OPEN, or CLOSED with what it got closed. */
    private void open(Stream stream) {
        Upstream opened = null;
        Exception failure = null;
        try {
            opened = producer.open(stream.topic, stream);
        } catch (ProducerException | RuntimeException e) {
            failure = e;
        }
        Upstream orphan = null;
        synchronized (stream) {
            if (failure == null && stream.endPayload == null && !stream.members.isEmpty()) {
                stream.upstream = opened;
                stream.state = State.OPEN;
                open.incrementAndGet();
                log.info("stream opened namespace={} kind={} topic={}", namespace.name(), kind, stream.key);
            } else {
                stream.state = State.CLOSED;
                streams.remove(stream.topic, stream);
                if (failure == null && stream.endPayload != null) {
                    // it ended inside open (sink.closed): nobody was there to hear it
                    failure = new ProducerException("STREAM_CLOSED", "the stream ended as soon as it opened");
                }
                stream.failure = failure;
                orphan = opened; // null when the open failed
            }
            stream.opened.countDown();
        }
        if (orphan != null) {
            closeUpstream(stream, orphan);
            log.info("stream closed unused namespace={} kind={} topic={} reason={}", namespace.name(), kind, stream.key,
                    stream.failure == null ? "no subscriber left" : "ended while opening");
        }
    }

    /** After the stream settled: admits the socket if it is still a member and connected. */
    private boolean admitOpened(Stream stream, Socket socket) throws ProducerException {
        synchronized (stream) {
            if (stream.state == State.OPEN && stream.members.contains(socket.id())) {
                if (!socket.connected()) { // its disconnect may already have run: release here
                    leave(stream, socket);
                    return false;
                }
                stream.upstream.admit(socket, () -> socket.join(stream.room));
                return true;
            }
            if (stream.failure instanceof ProducerException e) {
                throw e;
            }
            if (stream.failure instanceof RuntimeException e) {
                throw e;
            }
            if (stream.endPayload != null && stream.members.isEmpty()) {
                throw new ProducerException("STREAM_CLOSED", "the stream ended before this subscriber joined");
            }
            return false; // left while it opened
        }
    }

    /** Removes the socket from the topic; closes the upstream when it was the last. Returns whether it was subscribed. */
    public boolean unsubscribe(Socket socket, T topic) {
        Stream stream = streams.get(topic);
        if (stream == null) {
            return false;
        }
        synchronized (stream) {
            return leave(stream, socket);
        }
    }

    /** Removes the socket from every topic (call on disconnect). */
    public void unsubscribeAll(Socket socket) {
        for (Stream stream : streams.values()) {
            if (stream.members.contains(socket.id())) {
                synchronized (stream) {
                    leave(stream, socket);
                }
            }
        }
    }

    public boolean isSubscribed(Socket socket, T topic) {
        Stream stream = streams.get(topic);
        return stream != null && stream.members.contains(socket.id());
    }

    /** Upstreams opened and not yet closed. */
    public int activeStreams() {
        return open.get();
    }

    /** Under the stream's lock. A stream still opening is closed by its opener when nobody is left. */
    private boolean leave(Stream stream, Socket socket) {
        if (!stream.members.remove(socket.id())) {
            return false;
        }
        socket.leave(stream.room);
        if (stream.members.isEmpty() && stream.state == State.OPEN) {
            retire(stream);
        }
        return true;
    }

    /** Under the stream's lock: OPEN → CLOSED. */
    private void retire(Stream stream) {
        stream.state = State.CLOSED;
        streams.remove(stream.topic, stream);
        open.decrementAndGet();
        closeUpstream(stream, stream.upstream);
        log.info("stream closed namespace={} kind={} topic={}", namespace.name(), kind, stream.key);
    }

    private void closeUpstream(Stream stream, Upstream upstream) {
        try {
            upstream.close();
        } catch (RuntimeException e) {
            log.warn("stream close failed namespace={} kind={} topic={}", namespace.name(), kind, stream.key, e);
        }
    }

    private final class Stream implements StreamSink {
        final T topic;
        final String key;
        final String room;
        /** Subscribers, admitted or waiting for the open; read without the lock only as a hint. */
        final Set<String> members = ConcurrentHashMap.newKeySet();
        final CountDownLatch opened = new CountDownLatch(1);
        State state = State.NEW;
        Upstream upstream;
        Exception failure;
        Object endPayload;

        Stream(T topic) {
            this.topic = topic;
            this.key = topicKey.apply(topic);
            this.room = room(topic);
        }

        /** Bounded by the producer's own timeouts: the opener always settles the stream. */
        void awaitOpened() throws ProducerException {
            try {
                opened.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProducerException("BACKEND_UNAVAILABLE", "interrupted while the stream was opening", e);
            }
        }

        @Override
        public void emit(String event, Object payload) {
            namespace.to(room).emit(event, payload);
        }

        @Override
        public void emitVolatile(String event, Object payload) {
            namespace.to(room).droppable().emit(event, payload);
        }

        @Override
        public synchronized void closed(Object payload) {
            if (endPayload != null || state == State.CLOSED) {
                return;
            }
            endPayload = payload;
            if (state != State.OPEN) {
                return; // still opening: the opener closes it and tells the subscribers
            }
            namespace.to(room).emit("stream:closed", payload);
            for (String id : members) {
                Socket socket = namespace.socket(id);
                if (socket != null) {
                    socket.leave(room);
                }
            }
            members.clear();
            retire(this);
        }
    }
}
