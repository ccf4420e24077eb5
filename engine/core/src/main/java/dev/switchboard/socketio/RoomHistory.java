package dev.switchboard.socketio;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.switchboard.engineio.EngineMessage;

/**
 * The last N (and/or last T) broadcasts of the rooms one predicate selects, per room. Rooms are kept even when
 * nobody is in them (a backend may emit before anyone joins), at most {@link #MAX_ROOMS} of them, least recently
 * written first out. Guarded by the namespace's journal lock.
 */
final class RoomHistory {
    static final int MAX_ROOMS = 10_000;

    private final Predicate<String> rooms;
    private final int lastN;
    private final long maxAgeMillis;
    private final LinkedHashMap<String, RoomLog> logs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RoomLog> eldest) {
            return size() > MAX_ROOMS;
        }
    };

    RoomHistory(Predicate<String> rooms, int lastN, Duration maxAge) {
        if (lastN < 1) {
            throw new IllegalArgumentException("lastN must be >= 1");
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("maxAge must be positive (or null for no age limit)");
        }
        this.rooms = rooms;
        this.lastN = lastN;
        this.maxAgeMillis = maxAge == null ? Long.MAX_VALUE : maxAge.toMillis();
    }

    boolean covers(String room) {
        return rooms.test(room);
    }

    void record(RecoveryStore.RecordedBroadcast broadcast, Supplier<EngineMessage[]> plain) {
        for (String room : broadcast.rooms()) {
            if (rooms.test(room)) {
                logs.computeIfAbsent(room, r -> new RoomLog()).add(new Kept(broadcast, plain.get()));
            }
        }
    }

    /**
     * The room's events after {@code since} (all kept ones when null) that reach a socket in {@code socketRooms},
     * with their offset as the last argument or (not {@code withOffsets}) exactly as emitted.
     */
    HistoryReplayBatch after(String room, Long since, Set<String> socketRooms, boolean withOffsets, long nowMillis) {
        RoomLog log = logs.get(room);
        if (log == null) {
            return new HistoryReplayBatch(List.of(), true);
        }
        log.expire(nowMillis);
        List<EngineMessage[]> out = new ArrayList<>();
        for (Kept kept : log.entries) {
            RecoveryStore.RecordedBroadcast b = kept.broadcast();
            if ((since == null || b.offset() > since) && b.reaches(socketRooms)) {
                out.add(withOffsets ? b.messages() : kept.plain());
            }
        }
        boolean complete = since == null ? log.lastEvicted < 0 : since >= log.lastEvicted;
        return new HistoryReplayBatch(out, complete);
    }

    record HistoryReplayBatch(List<EngineMessage[]> messages, boolean complete) {
    }

    /** One kept broadcast: as recorded (offset appended) and as emitted. */
    private record Kept(RecoveryStore.RecordedBroadcast broadcast, EngineMessage[] plain) {
        long offset() {
            return broadcast.offset();
        }
    }

    private final class RoomLog {
        final ArrayDeque<Kept> entries = new ArrayDeque<>();
        long lastEvicted = -1;

        void add(Kept kept) {
            entries.addLast(kept);
            if (entries.size() > lastN) {
                lastEvicted = entries.pollFirst().offset();
            }
            expire(kept.broadcast().emittedAtMillis());
        }

        void expire(long nowMillis) {
            if (maxAgeMillis == Long.MAX_VALUE) {
                return;
            }
            while (!entries.isEmpty() && entries.peekFirst().broadcast().emittedAtMillis() < nowMillis - maxAgeMillis) {
                lastEvicted = entries.pollFirst().offset();
            }
        }
    }
}
