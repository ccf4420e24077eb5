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
 * Every broadcast delivered here, local or (through a cluster adapter) from another node, is then handed to the
 * target's {@link BroadcastListener}, if any.
 */
public class InMemoryAdapter implements Adapter {
    private static final Logger log = LoggerFactory.getLogger(InMemoryAdapter.class);

    protected final BroadcastTarget target;
    private final BroadcastListener listener; // null: none (the common case costs one null check per broadcast)
    private final ConcurrentHashMap<String, Set<String>> rooms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> sids = new ConcurrentHashMap<>();

    public InMemoryAdapter(BroadcastTarget target) {
        this.target = target;
        this.listener = target.broadcastListener();
    }

    @Override
    public synchronized void addAll(String socketId, Set<String> roomNames) {
        Set<String> own = sids.computeIfAbsent(socketId, k -> ConcurrentHashMap.newKeySet());
        for (String room : roomNames) {
            own.add(room);
            rooms.computeIfAbsent(room, k -> ConcurrentHashMap.newKeySet()).add(socketId);
        }
    }

    @Override
    public synchronized void del(String socketId, String room) {
        Set<String> own = sids.get(socketId);
        if (own != null) {
            own.remove(room);
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
        Set<String> members = rooms.get(room);
        if (members != null && members.remove(socketId) && members.isEmpty()) {
            rooms.remove(room);
        }
    }

    @Override
    public Set<String> sockets(Set<String> roomNames) {
        if (roomNames.isEmpty()) {
            return Set.copyOf(sids.keySet());
        }
        Set<String> result = new HashSet<>();
        for (String room : roomNames) {
            Set<String> members = rooms.get(room);
            if (members != null) {
                result.addAll(members);
            }
        }
        return Collections.unmodifiableSet(result);
    }

    @Override
    public Set<String> socketRooms(String socketId) {
        Set<String> own = sids.get(socketId);
        return own == null ? Set.of() : Set.copyOf(own);
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
            int n = members.size();
            if (n > 0) {
                sizes.put(room, n);
            }
        });
        return sizes;
    }

    @Override
    public int broadcast(BroadcastPacket packet, BroadcastOptions options) {
        Delivery delivery = new Delivery(packet, options.volatile_());
        Set<String> except = options.except().isEmpty() ? Set.of() : sockets(options.except());
        if (options.rooms().isEmpty()) {
            for (String id : sids.keySet()) {
                if (!except.contains(id)) {
                    delivery.to(id);
                }
            }
        } else if (options.rooms().size() == 1) {
            Set<String> members = rooms.get(options.rooms().iterator().next());
            if (members != null) {
                for (String id : members) {
                    if (!except.contains(id)) {
                        delivery.to(id);
                    }
                }
            }
        } else {
            Set<String> seen = new HashSet<>();
            for (String room : options.rooms()) {
                Set<String> members = rooms.get(room);
                if (members == null) {
                    continue;
                }
                for (String id : members) {
                    if (!except.contains(id) && seen.add(id)) {
                        delivery.to(id);
                    }
                }
            }
        }
        if (listener != null) {
            notifyListener(packet, options);
        }
        return delivery.count;
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
        private final boolean volatile_;
        private EngineMessage[] messages;
        int count;

        Delivery(BroadcastPacket packet, boolean volatile_) {
            this.packet = packet;
            this.volatile_ = volatile_;
        }

        void to(String socketId) {
            if (messages == null) {
                messages = target.encode(packet);
            }
            if (target.deliver(socketId, messages, volatile_)) {
                count++;
            }
        }
    }
}
