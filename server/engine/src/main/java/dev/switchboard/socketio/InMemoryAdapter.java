package dev.switchboard.socketio;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.switchboard.engineio.EngineMessage;

/**
 * Room membership of one namespace on this node. Membership changes are serialized; broadcasts read the
 * concurrent sets without locking. A broadcast is encoded at most once, lazily (not at all without recipients).
 */
public class InMemoryAdapter implements Adapter {

    protected final BroadcastTarget target;
    private final ConcurrentHashMap<String, Set<String>> rooms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> sids = new ConcurrentHashMap<>();

    public InMemoryAdapter(BroadcastTarget target) {
        this.target = target;
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
        return delivery.count;
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
