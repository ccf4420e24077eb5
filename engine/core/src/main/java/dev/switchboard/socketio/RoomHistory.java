package dev.switchboard.socketio;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.switchboard.engineio.EngineMessage;

/**
 * The last N (and/or last T) broadcasts of the rooms one predicate selects, per room. Rooms are kept even when
 * nobody is in them (a backend may emit before anyone joins), at most {@link #MAX_ROOMS} of them, least recently
 * written first out. All rooms together keep at most {@code maxBytes} of encoded events (a broadcast to several
 * rooms counted once): beyond it the oldest kept event of any room goes first, and that room's replay says it is
 * no longer complete. Guarded by the namespace's journal lock.
 */
final class RoomHistory {
    static final int MAX_ROOMS = 10_000;

    private final Predicate<String> rooms;
    private final int lastN;
    private final long maxAgeMillis;
    private final long maxBytes;
    /** Every kept event of every room, oldest first: what the byte bound drops. */
    private final LinkedHashSet<Kept> byAge = new LinkedHashSet<>();
    private long keptBytes;
    /** The newest offset dropped with a room evicted whole by {@link #MAX_ROOMS} (-1: none): what a room without a
     *  log may have lost. */
    private long evictedRoomsUpTo = -1;
    private final LinkedHashMap<String, RoomLog> logs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RoomLog> eldest) {
            if (size() <= MAX_ROOMS) {
                return false;
            }
            RoomLog evicted = eldest.getValue();
            evicted.dropAll();
            evictedRoomsUpTo = Math.max(evictedRoomsUpTo, evicted.lastEvicted);
            return true;
        }
    };

    RoomHistory(Predicate<String> rooms, int lastN, Duration maxAge, long maxBytes) {
        if (lastN < 1) {
            throw new IllegalArgumentException("lastN must be >= 1");
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("maxAge must be positive (or null for no age limit)");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1");
        }
        this.rooms = rooms;
        this.lastN = lastN;
        this.maxAgeMillis = maxAge == null ? Long.MAX_VALUE : maxAge.toMillis();
        this.maxBytes = maxBytes;
    }

    boolean covers(String room) {
        return rooms.test(room);
    }

    void record(RecoveryStore.RecordedBroadcast broadcast, Supplier<EngineMessage[]> plain) {
        Recorded recorded = null;
        for (String room : broadcast.rooms()) {
            if (rooms.test(room)) {
                if (recorded == null) {
                    EngineMessage[] plainMessages = plain.get();
                    recorded = new Recorded(broadcast, plainMessages, broadcast.bytes() + sizeOf(plainMessages));
                    keptBytes += recorded.bytes;
                }
                logs.computeIfAbsent(room, r -> new RoomLog(evictedRoomsUpTo)).add(recorded);
            }
        }
        while (keptBytes > maxBytes && !byAge.isEmpty()) {
            Kept oldest = byAge.iterator().next();
            oldest.log.dropUpTo(oldest);
        }
    }

    /** Bytes of the events kept, each broadcast counted once. */
    long keptBytes() {
        return keptBytes;
    }

    /** The size of the encoding without offsets, without encoding it into a frame (as {@link EngineMessage#wireSize}). */
    private static long sizeOf(EngineMessage[] messages) {
        long bytes = 0;
        for (EngineMessage m : messages) {
            bytes += m.isBinary() ? m.binary().length + 1 : m.text().length() + 1;
        }
        return bytes;
    }

    /**
     * The room's events after {@code since} (all kept ones when null) that reach a socket in {@code socketRooms},
     * with their offset as the last argument or (not {@code withOffsets}) exactly as emitted.
     */
    HistoryReplayBatch after(String room, Long since, Set<String> socketRooms, boolean withOffsets, long nowMillis) {
        RoomLog log = logs.get(room);
        if (log == null) { // never written, or evicted whole: then events after an offset seen may be gone
            return new HistoryReplayBatch(List.of(), since == null || since >= evictedRoomsUpTo);
        }
        log.expire(nowMillis);
        List<EngineMessage[]> out = new ArrayList<>();
        for (Kept kept : log.entries) {
            RecoveryStore.RecordedBroadcast b = kept.recorded.broadcast;
            if ((since == null || b.offset() > since) && b.reaches(socketRooms)) {
                out.add(withOffsets ? b.messages() : kept.recorded.plain);
            }
        }
        boolean complete = since == null ? log.lastEvicted < 0 : since >= Math.max(log.lastEvicted, log.evictedBefore);
        return new HistoryReplayBatch(out, complete);
    }

    record HistoryReplayBatch(List<EngineMessage[]> messages, boolean complete) {
    }

    /** One broadcast this history keeps, as recorded (offset appended) and as emitted, shared by its rooms. */
    private static final class Recorded {
        final RecoveryStore.RecordedBroadcast broadcast;
        final EngineMessage[] plain;
        final long bytes;
        int rooms;

        Recorded(RecoveryStore.RecordedBroadcast broadcast, EngineMessage[] plain, long bytes) {
            this.broadcast = broadcast;
            this.plain = plain;
            this.bytes = bytes;
        }
    }

    /** One room's entry of a kept broadcast (identity equality: the same broadcast is one entry per room). */
    private static final class Kept {
        final Recorded recorded;
        final RoomLog log;

        Kept(Recorded recorded, RoomLog log) {
            this.recorded = recorded;
            this.log = log;
        }

        long offset() {
            return recorded.broadcast.offset();
        }
    }

    private final class RoomLog {
        final ArrayDeque<Kept> entries = new ArrayDeque<>();
        long lastEvicted = -1;
        /** {@link #evictedRoomsUpTo} when this log was made: this room may have been one evicted before it. */
        final long evictedBefore;

        RoomLog(long evictedBefore) {
            this.evictedBefore = evictedBefore;
        }

        void add(Recorded recorded) {
            Kept kept = new Kept(recorded, this);
            recorded.rooms++;
            entries.addLast(kept);
            byAge.add(kept);
            if (entries.size() > lastN) {
                dropFirst();
            }
            expire(recorded.broadcast.emittedAtMillis());
        }

        void expire(long nowMillis) {
            if (maxAgeMillis == Long.MAX_VALUE) {
                return;
            }
            while (!entries.isEmpty() && entries.peekFirst().recorded.broadcast.emittedAtMillis() < nowMillis - maxAgeMillis) {
                dropFirst();
            }
        }

        /** Drops this room's entries up to {@code last} (its oldest, as it is the oldest of all rooms). */
        void dropUpTo(Kept last) {
            while (!entries.isEmpty() && dropFirst() != last) {
                // entries are in record order: the oldest of all rooms is the first of its own
            }
        }

        void dropAll() {
            while (!entries.isEmpty()) {
                dropFirst();
            }
        }

        private Kept dropFirst() {
            Kept dropped = entries.pollFirst();
            lastEvicted = dropped.offset();
            byAge.remove(dropped);
            if (--dropped.recorded.rooms == 0) {
                keptBytes -= dropped.recorded.bytes;
            }
            return dropped;
        }
    }
}
