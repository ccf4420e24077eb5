package dev.switchboard.namespaces.core;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.RoomAccess;

/**
 * What the server lends a namespace while it is installed: the Socket.IO namespace to declare handlers on, the
 * server's shared scheduler (never for blocking calls: see {@link BlockingPool}), the rule for rooms a client asks
 * to be in (ROOM_PATTERNS, the JWT rooms claim), and the stream counter: every {@link SharedStreams} made here is
 * counted in {@link #activeStreams()}.
 */
public final class NamespaceContext {
    private final Namespace namespace;
    private final ScheduledExecutorService scheduler;
    private final RoomAccess rooms;
    private final List<SharedStreams<?>> streams = new CopyOnWriteArrayList<>();

    public NamespaceContext(Namespace namespace, ScheduledExecutorService scheduler, RoomAccess rooms) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.scheduler = scheduler;
        this.rooms = Objects.requireNonNull(rooms, "rooms");
    }

    /** With the default room rule: any room the server does not assign. */
    public NamespaceContext(Namespace namespace, ScheduledExecutorService scheduler) {
        this(namespace, scheduler, RoomAccess.anyRoom());
    }

    public Namespace namespace() {
        return namespace;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public RoomAccess rooms() {
        return rooms;
    }

    /** Shared upstreams of one kind on this namespace, counted in {@link #activeStreams()} (see {@link SharedStreams}). */
    public <T> SharedStreams<T> sharedStreams(String kind, Producer<T> producer, Function<T, String> topicKey) {
        SharedStreams<T> shared = new SharedStreams<>(namespace, kind, producer, topicKey);
        streams.add(shared);
        return shared;
    }

    /** Upstreams open now, over every {@link SharedStreams} made by {@link #sharedStreams}. */
    public int activeStreams() {
        int total = 0;
        for (SharedStreams<?> shared : streams) {
            total += shared.activeStreams();
        }
        return total;
    }
}
