package dev.switchboard.namespaces.core;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;

/**
 * One upstream per topic, shared by all its subscribers. Subscribers sit in the topic's room, so each event
 * is encoded once and written to all of them. The upstream opens with the first subscriber and closes with
 * the last (unsubscribe or disconnect).
 */
public final class SharedStreams<T> {
    private static final Logger log = LoggerFactory.getLogger(SharedStreams.class);

    private final Namespace namespace;
    private final String kind;
    private final Producer<T> producer;
    private final Function<T, String> topicKey;
    private final Map<T, Stream> streams = new ConcurrentHashMap<>();

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

    /** Adds the socket to the topic, opening the upstream if it is the first subscriber. Idempotent. */
    public void subscribe(Socket socket, T topic) throws ProducerException {
        while (true) {
            Stream stream = streams.computeIfAbsent(topic, Stream::new);
            synchronized (stream) {
                if (stream.retired) {
                    continue; // lost a race with the last unsubscribe; take a fresh entry
                }
                if (stream.upstream == null) {
                    Upstream opened;
                    try {
                        opened = producer.open(topic, stream);
                    } catch (ProducerException | RuntimeException e) {
                        retire(stream);
                        throw e;
                    }
                    if (stream.retired) { // it ended inside open (sink.closed): nobody was there to hear it
                        opened.close();
                        throw new ProducerException("STREAM_CLOSED", "the stream ended as soon as it opened");
                    }
                    stream.upstream = opened;
                    log.info("stream opened namespace={} kind={} topic={}", namespace.name(), kind, topicKey.apply(topic));
                }
                if (stream.subscribers.add(socket.id())) {
                    stream.upstream.admit(socket, () -> socket.join(stream.room));
                }
                return;
            }
        }
    }

    /** Removes the socket from the topic; closes the upstream when it was the last. Returns whether it was subscribed. */
    public boolean unsubscribe(Socket socket, T topic) {
        Stream stream = streams.get(topic);
        if (stream == null) {
            return false;
        }
        synchronized (stream) {
            if (!stream.subscribers.remove(socket.id())) {
                return false;
            }
            socket.leave(stream.room);
            if (stream.subscribers.isEmpty()) {
                retire(stream);
            }
            return true;
        }
    }

    /** Removes the socket from every topic (call on disconnect). */
    public void unsubscribeAll(Socket socket) {
        for (Stream stream : streams.values()) {
            unsubscribe(socket, stream.topic);
        }
    }

    public boolean isSubscribed(Socket socket, T topic) {
        Stream stream = streams.get(topic);
        return stream != null && stream.subscribers.contains(socket.id());
    }

    /** Upstreams running now. */
    public int activeStreams() {
        return streams.size();
    }

    private void retire(Stream stream) {
        stream.retired = true;
        streams.remove(stream.topic, stream);
        if (stream.upstream != null) {
            try {
                stream.upstream.close();
            } catch (RuntimeException e) {
                log.warn("stream close failed namespace={} kind={} topic={}", namespace.name(), kind, topicKey.apply(stream.topic), e);
            }
            log.info("stream closed namespace={} kind={} topic={}", namespace.name(), kind, topicKey.apply(stream.topic));
        }
    }

    private final class Stream implements StreamSink {
        final T topic;
        final String room;
        final Set<String> subscribers = new HashSet<>();
        Upstream upstream;
        boolean retired;

        Stream(T topic) {
            this.topic = topic;
            this.room = room(topic);
        }

        @Override
        public void emit(String event, Object payload) {
            namespace.to(room).emit(event, payload);
        }

        @Override
        public void emitVolatile(String event, Object payload) {
            namespace.to(room).volatile_().emit(event, payload);
        }

        @Override
        public void closed(Object payload) {
            namespace.to(room).emit("stream:closed", payload);
            synchronized (this) {
                for (String id : subscribers) {
                    Socket socket = namespace.socket(id);
                    if (socket != null) {
                        socket.leave(room);
                    }
                }
                subscribers.clear();
                if (!retired) {
                    retire(this);
                }
            }
        }
    }
}
