package dev.switchboard.socketio;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.engineio.EngineMessage;

/**
 * Room membership of one namespace on this node. Membership changes are serialized; broadcasts read the
 * concurrent sets without locking. A broadcast is encoded at most once, lazily (not at all without recipients).
 * Every broadcast delivered here, local or (through a cluster adapter) from another node, is then counted in the
 * target's {@link SocketIoMetricsTracker} and handed to its {@link BroadcastListener}, if any.
 */
public class InMemoryAdapter implements Adapter {
    private static final Logger log = LoggerFactory.getLogger(InMemoryAdapter.class);

    protected final BroadcastTarget target;
    private final BroadcastListener listener; // null: none (the common case costs one null check per broadcast)
    private final SocketIoMetricsTracker tracker; // NONE: no clock read
    /**
     * Room name to its members: a {@code String} while the room holds one socket (every socket's own id room, and
     * most small rooms), a concurrent set from the second member on. Saves a set per socket: ~370 bytes each.
     */
    private final ConcurrentHashMap<String, Object> rooms = new ConcurrentHashMap<>();
    /** Socket id to its rooms, an immutable set replaced on each change (a socket is in few rooms). */
    private final ConcurrentHashMap<String, Set<String>> sids = new ConcurrentHashMap<>();

    public InMemoryAdapter(BroadcastTarget target) {
        this.target = target;
        this.listener = target.broadcastListener();
        this.tracker = target.tracker();
    }

    @Override
    public synchronized void addAll(String socketId, Set<String> roomNames) {
        Set<String> own = sids.getOrDefault(socketId, Set.of());
        Set<String> added = null;
        for (String room : roomNames) {
            if (own.contains(room) || (added != null && added.contains(room))) {
                continue;
            }
            if (added == null) {
                added = new HashSet<>(4);
            }
            added.add(room);
            addToRoom(room, socketId);
        }
        if (added != null) {
            added.addAll(own);
            sids.put(socketId, Set.copyOf(added));
        } else if (own.isEmpty()) {
            sids.putIfAbsent(socketId, Set.of());
        }
    }

    private void addToRoom(String room, String socketId) {
        Object members = rooms.get(room);
        if (members == null) {
            rooms.put(room, socketId);
        } else if (members instanceof String single) {
            if (!single.equals(socketId)) {
                Set<String> set = ConcurrentHashMap.newKeySet();
                set.add(single);
                set.add(socketId);
                rooms.put(room, set);
            }
        } else {
            members(members).add(socketId);
        }
    }

    @Override
    public synchronized void del(String socketId, String room) {
        Set<String> own = sids.get(socketId);
        if (own != null && own.contains(room)) {
            Set<String> rest = new HashSet<>(own);
            rest.remove(room);
            sids.put(socketId, Set.copyOf(rest));
        }
        removeFromRoom(socketId, room);
    }

    @Override
    public synchronized void delAll(String socketId) {
        Set<String> own = sids.remove(socketId);
        if (own == null) {
            return;
        }
        for (String room : own) {
            removeFromRoom(socketId, room);
        }
    }

    private void removeFromRoom(String socketId, String room) {
        Object members = rooms.get(room);
        if (members instanceof String single) {
            if (single.equals(socketId)) {
                rooms.remove(room);
            }
        } else if (members != null) {
            Set<String> set = members(members);
            if (set.remove(socketId) && set.isEmpty()) {
                rooms.remove(room);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> members(Object members) {
        return (Set<String>) members;
    }

    /** Calls {@code action} for each member of {@code room} on this node; no allocation for a one-member room. */
    private void forEachMember(String room, java.util.function.Consumer<String> action) {
        Object members = rooms.get(room);
        if (members instanceof String single) {
            action.accept(single);
        } else if (members != null) {
            for (String id : members(members)) {
                action.accept(id);
            }
        }
    }

    @Override
    public Set<String> sockets(Set<String> roomNames) {
        if (roomNames.isEmpty()) {
            return Set.copyOf(sids.keySet());
        }
        Set<String> result = new HashSet<>();
        for (String room : roomNames) {
            forEachMember(room, result::add);
        }
        return Collections.unmodifiableSet(result);
    }

    @Override
    public Set<String> socketRooms(String socketId) {
        return sids.getOrDefault(socketId, Set.of());
    }

    /**
     * Whether a broadcast to {@code room} has anyone to reach on this node: a local socket in it, or a
     * {@link BroadcastListener} that {@linkplain BroadcastListener#wantsRoom wants it}, or a namespace recording it
     * for recovery or history ({@link BroadcastTarget#recordsBroadcastsTo}). A cluster adapter skips a
     * one-room broadcast from another node otherwise. Allocates nothing.
     */
    protected boolean hasLocalInterest(String room) {
        return rooms.containsKey(room) || (listener != null && listener.wantsRoom(room))
                || target.recordsBroadcastsTo(room);
    }

    @Override
    public Map<String, Integer> roomSizes() {
        Map<String, Integer> sizes = new HashMap<>();
        rooms.forEach((room, members) -> {
            int n = members instanceof String ? 1 : members(members).size();
            if (n > 0) {
                sizes.put(room, n);
            }
        });
        return sizes;
    }

    /** Sockets of this namespace on this node, without copying their ids. */
    protected int socketCount() {
        return sids.size();
    }

    /** Without counting: every socket is in its own id room, so the others are the rooms beyond one per socket. */
    @Override
    public int roomCount() {
        return Math.max(0, rooms.size() - sids.size());
    }

    @Override
    public int broadcast(BroadcastPacket packet, BroadcastOptions options) {
        long started = tracker == SocketIoMetricsTracker.NONE ? 0 : System.nanoTime(); // one clock read per broadcast
        Delivery delivery = new Delivery(packet, options.droppable());
        Set<String> except = options.except().isEmpty() ? Set.of() : sockets(options.except());
        if (options.rooms().isEmpty()) {
            for (String id : sids.keySet()) {
                if (!except.contains(id)) {
                    delivery.to(id);
                }
            }
        } else if (options.rooms().size() == 1) {
            Object members = rooms.get(options.rooms().iterator().next());
            if (members instanceof String single) {
                if (!except.contains(single)) {
                    delivery.to(single);
                }
            } else if (members != null) {
                for (String id : members(members)) {
                    if (!except.contains(id)) {
                        delivery.to(id);
                    }
                }
            }
        } else {
            Set<String> seen = new HashSet<>();
            for (String room : options.rooms()) {
                forEachMember(room, id -> {
                    if (!except.contains(id) && seen.add(id)) {
                        delivery.to(id);
                    }
                });
            }
        }
        if (delivery.messages != null && tracker != SocketIoMetricsTracker.NONE) {
            tracker.broadcastDelivered(System.nanoTime() - started, encodedBytes(delivery.messages));
        }
        if (delivery.count > 0) {
            tracker.eventsSent(delivery.count);
        }
        if (listener != null) {
            notifyListener(packet, options);
        }
        return delivery.count;
    }

    private static long encodedBytes(EngineMessage[] messages) {
        long bytes = 0;
        for (EngineMessage message : messages) {
            bytes += message.wireSize();
        }
        return bytes;
    }

    private void notifyListener(BroadcastPacket packet, BroadcastOptions options) {
        try {
            listener.onBroadcast(packet, options);
        } catch (RuntimeException e) {
            log.warn("event=broadcast_listener_failed namespace={} name={} error={}", target.name(), packet.event(),
                    e.toString());
        }
    }

    /** One broadcast's delivery: encodes on the first recipient, then hands the same messages to each. */
    private final class Delivery {
        private final BroadcastPacket packet;
        private final boolean droppable;
        private EngineMessage[] messages;
        int count;

        Delivery(BroadcastPacket packet, boolean droppable) {
            this.packet = packet;
            this.droppable = droppable;
        }

        void to(String socketId) {
            if (messages == null) {
                messages = target.encode(packet);
            }
            if (target.deliver(socketId, packet, messages, droppable)) {
                count++;
            }
        }
    }
}
