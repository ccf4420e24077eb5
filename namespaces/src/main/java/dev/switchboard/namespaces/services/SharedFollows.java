package dev.switchboard.namespaces.services;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.switchboard.namespaces.core.ProducerException;
import dev.switchboard.namespaces.core.StreamSink;
import dev.switchboard.namespaces.core.Upstream;

/**
 * One Docker upstream per container, keyed by its full id (and, for logs, the stream selection), however many
 * names clients reach it by: the id, any id prefix, the name, "/name". Each name stays its own
 * {@code SharedStreams} topic (its room, its subscribers) and attaches here as a {@link View}; every event
 * reaches each view with {@code container} set back to the name that view was asked for.
 *
 * <p>The upstream opens with the first view and closes with the last. When it ends by itself (container exited
 * or removed) it leaves the map at once, so a name asked for afterwards opens a fresh one.
 */
final class SharedFollows<K, U extends Upstream> {

    interface Opener<K, U> {
        /** @param label the name the first subscriber gave, for the error it is answered with if this fails */
        U open(K key, String label, StreamSink sink) throws ProducerException;
    }

    private final Map<K, Follow> follows = new ConcurrentHashMap<>();
    private final Opener<K, U> opener;

    SharedFollows(Opener<K, U> opener) {
        this.opener = opener;
    }

    /** Attaches a view named {@code label}, opening the upstream if it is the first (blocking, bounded by dockerd timeouts). */
    View attach(K key, String label, StreamSink sink) throws ProducerException {
        while (true) {
            Follow follow = follows.computeIfAbsent(key, Follow::new);
            synchronized (follow) {
                if (follow.ended) {
                    continue; // it ended or closed meanwhile; take a fresh entry
                }
                if (follow.upstream == null) {
                    follow.open(label);
                }
                View view = new View(follow, label, sink);
                follow.views.add(view);
                return view;
            }
        }
    }

    /** Upstreams open now (one per container id and, for logs, stream selection), however many names share each. */
    int openUpstreams() {
        return follows.size();
    }

    /** The payload with {@code container} set to the name its receiver asked for (a copy; the shared one is untouched). */
    static Object relabel(Object payload, String label) {
        if (payload instanceof Map<?, ?> map && map.containsKey("container") && !label.equals(map.get("container"))) {
            Map<Object, Object> copy = new LinkedHashMap<>(map);
            copy.put("container", label);
            return copy;
        }
        return payload;
    }

    /** What one name holds: the shared upstream, seen under that name. Closing it detaches. */
    final class View {
        private final Follow follow;
        private final String label;
        private final StreamSink sink;
        private boolean detached;

        private View(Follow follow, String label, StreamSink sink) {
            this.follow = follow;
            this.label = label;
            this.sink = sink;
        }

        U upstream() {
            return follow.upstream;
        }

        String label() {
            return label;
        }

        void detach() {
            U toClose = null;
            synchronized (follow) {
                if (detached) {
                    return;
                }
                detached = true;
                follow.views.remove(this);
                if (follow.views.isEmpty()) {
                    follow.ended = true;
                    follows.remove(follow.key, follow);
                    toClose = follow.upstream;
                }
            }
            if (toClose != null) {
                toClose.close();
            }
        }
    }

    /** The shared upstream and its views; it is the sink the upstream emits to. */
    private final class Follow implements StreamSink {
        final K key;
        final List<View> views = new CopyOnWriteArrayList<>();
        U upstream;
        boolean ended;

        Follow(K key) {
            this.key = key;
        }

        /** Under this follow's lock. */
        void open(String label) throws ProducerException {
            U opened;
            try {
                opened = opener.open(key, label, this);
            } catch (ProducerException | RuntimeException e) {
                ended = true;
                follows.remove(key, this);
                throw e;
            }
            if (ended) { // it ended inside open: nobody was there to hear it
                opened.close();
                throw new ProducerException("STREAM_CLOSED", "the stream ended as soon as it opened");
            }
            upstream = opened;
        }

        @Override
        public void emit(String event, Object payload) {
            for (View view : views) {
                view.sink.emit(event, relabel(payload, view.label));
            }
        }

        @Override
        public void emitVolatile(String event, Object payload) {
            for (View view : views) {
                view.sink.emitVolatile(event, relabel(payload, view.label));
            }
        }

        @Override
        public void closed(Object payload) {
            List<View> told;
            synchronized (this) {
                ended = true;
                follows.remove(key, this);
                told = List.copyOf(views);
            }
            for (View view : told) {
                view.sink.closed(relabel(payload, view.label));
            }
        }
    }
}
