package dev.switchboard.channels;

import dev.switchboard.socketio.BroadcastOptions;
import dev.switchboard.socketio.BroadcastPacket;
import dev.switchboard.socketio.Namespace;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain subscribers by channel, and the fan-out to them. Socket.IO broadcasts reach it through
 * {@link ChannelBroadcastListener} (by namespace and room); plain publishes go to the Socket.IO room, whose
 * listener brings them back here, so both kinds of client see one stream. Membership changes are serialized; fan-out reads
 * concurrent sets without locking and encodes each event once per channel.
 */
final class ChannelHub {
    private static final Logger log = LoggerFactory.getLogger(ChannelHub.class);

    /** Subscribers of one channel name. */
    static final class Group {
        final ResolvedChannel channel;
        final Set<PlainClient> members = ConcurrentHashMap.newKeySet();

        Group(ResolvedChannel channel) {
            this.channel = channel;
        }
    }

    private final ChannelFrames frames;
    private final EventRate rate = new EventRate();
    private final Map<String, Group> byName = new ConcurrentHashMap<>();
    /** namespace → room → groups mapped there (usually one); nested so the broadcast path builds no key. */
    private final Map<String, Map<String, List<Group>>> byRoom = new ConcurrentHashMap<>();
    /** Namespaces whose broadcasts reach {@link #onBroadcast} (they have a {@link ChannelBroadcastListener}). */
    private final Set<String> followedNamespaces = ConcurrentHashMap.newKeySet();
    private final List<Runnable> metricsWatchers = new CopyOnWriteArrayList<>();
    private volatile Function<String, Namespace> namespaces = name -> null;

    ChannelHub(ChannelFrames frames) {
        this.frames = frames;
    }

    void bind(Function<String, Namespace> namespaces) {
        this.namespaces = namespaces;
    }

    /** Whether {@code room} of {@code namespace} is a connected Socket.IO socket's id room (reserved). */
    boolean isSocketRoom(String namespaceName, String room) {
        Namespace namespace = namespaces.apply(namespaceName);
        return namespace != null && namespace.socket(room) != null;
    }

    void followed(String namespace) {
        followedNamespaces.add(namespace);
    }

    void onMetricsSubscribers(Runnable watcher) {
        metricsWatchers.add(watcher);
    }

    /**
     * Whether a subscription to {@code channel} keeps its namespace within {@code maxRooms} rooms followed here: a
     * channel with subscribers, a local one, or one whose room is followed already always does.
     */
    synchronized boolean hasRoomFor(ResolvedChannel channel, int maxRooms) {
        if (channel.local() || byName.containsKey(channel.name())) {
            return true;
        }
        Map<String, List<Group>> rooms = byRoom.get(channel.namespace());
        return rooms == null || rooms.containsKey(channel.room()) || rooms.size() < maxRooms;
    }

    /** True when newly subscribed. */
    synchronized boolean subscribe(PlainClient client, ResolvedChannel channel) {
        Group group = byName.computeIfAbsent(channel.name(), n -> {
            Group g = new Group(channel);
            if (!channel.local()) {
                byRoom.computeIfAbsent(channel.namespace(), k -> new ConcurrentHashMap<>())
                        .computeIfAbsent(channel.room(), k -> new CopyOnWriteArrayList<>()).add(g);
            }
            return g;
        });
        boolean added = group.members.add(client);
        if (added && ChannelCatalog.METRICS.equals(channel.name())) metricsWatchers.forEach(Runnable::run);
        return added;
    }

    /** True when it was subscribed. */
    synchronized boolean unsubscribe(PlainClient client, String channelName) {
        Group group = byName.get(channelName);
        if (group == null || !group.members.remove(client)) return false;
        if (group.members.isEmpty()) {
            byName.remove(channelName);
            if (!group.channel.local()) {
                Map<String, List<Group>> rooms = byRoom.get(group.channel.namespace());
                List<Group> groups = rooms == null ? null : rooms.get(group.channel.room());
                if (groups != null) {
                    groups.remove(group);
                    if (groups.isEmpty()) rooms.remove(group.channel.room());
                    if (rooms.isEmpty()) byRoom.remove(group.channel.namespace());
                }
            }
        }
        if (ChannelCatalog.METRICS.equals(channelName)) metricsWatchers.forEach(Runnable::run);
        return true;
    }

    /**
     * A plain publish: to the Socket.IO room when the namespace is served (its listener brings it back to plain
     * subscribers), else straight to the plain subscribers.
     */
    void publish(ResolvedChannel channel, String event, Object data) {
        if (channel.local()) {
            deliver(byName.get(channel.name()), event, data);
        } else {
            relay(channel.namespace(), channel.room(), event, data);
        }
    }

    /** {@code namespace.to(room).emit(event, data)} for both kinds of client; returns Socket.IO sockets reached. */
    int relay(String namespaceName, String room, String event, Object data) {
        Namespace namespace = namespaces.apply(namespaceName);
        int reached = namespace == null ? 0 : namespace.to(room).emit(event, data);
        if (namespace == null || !followedNamespaces.contains(namespaceName)) {
            deliverToRoom(namespaceName, room, event, data);
        }
        return reached;
    }

    /** A Socket.IO broadcast of {@code namespace} delivered on this node; room-less broadcasts reach no channel. */
    void onBroadcast(String namespace, BroadcastPacket packet, BroadcastOptions options) {
        if (options.rooms().isEmpty()) return;
        Map<String, List<Group>> rooms = byRoom.get(namespace);
        if (rooms == null) return;
        Object data = null;
        for (String room : options.rooms()) {
            List<Group> groups = rooms.get(room);
            if (groups == null) continue;
            if (data == null) data = dataOf(packet.payload());
            for (Group g : groups) deliver(g, packet.event(), data);
        }
    }

    /** Whether some plain client subscribes to a channel mapped to this room (cheap: asked on Redis I/O threads). */
    boolean hasSubscribers(String namespace, String room) {
        Map<String, List<Group>> rooms = byRoom.get(namespace);
        return rooms != null && rooms.containsKey(room);
    }

    void deliverToRoom(String namespace, String room, String event, Object data) {
        Map<String, List<Group>> rooms = byRoom.get(namespace);
        List<Group> groups = rooms == null ? null : rooms.get(room);
        if (groups != null) for (Group g : groups) deliver(g, event, data);
    }

    /** Sends to the subscribers of one local channel (the metrics snapshot: not counted as an event). */
    void deliverLocal(String channelName, String event, Object data) {
        deliver(byName.get(channelName), event, data, false);
    }

    private void deliver(Group group, String event, Object data) {
        deliver(group, event, data, true);
    }

    private void deliver(Group group, String event, Object data, boolean counted) {
        if (group == null || group.members.isEmpty()) return;
        long now = System.currentTimeMillis();
        if (counted) rate.record(now);
        byte[] frame;
        try {
            frame = frames.event(group.channel.name(), event, data, now);
        } catch (RuntimeException e) {
            log.warn("channel event not encodable channel={} event={} error={}", group.channel.name(), event, e.toString());
            return;
        }
        for (PlainClient client : group.members) client.send(frame);
    }

    /** One argument is the data; none is null; several are an array (as a Socket.IO client would list them). */
    private static Object dataOf(List<Object> args) {
        return switch (args.size()) {
            case 0 -> null;
            case 1 -> args.get(0);
            default -> args;
        };
    }

    int subscribers(String channelName) {
        Group g = byName.get(channelName);
        return g == null ? 0 : g.members.size();
    }

    /** Subscriber count per channel name, sorted. */
    Map<String, Integer> subscriberCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        byName.forEach((name, g) -> {
            int n = g.members.size();
            if (n > 0) counts.put(name, n);
        });
        return counts;
    }

    long eventsPerMinute() {
        return rate.perMinute(System.currentTimeMillis());
    }
}
