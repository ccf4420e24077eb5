package dev.switchboard.socketio;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import dev.switchboard.engineio.EngineMessage;

/**
 * One namespace's record of its broadcasts, for connection state recovery and per-room history. When either
 * is on, every non-volatile broadcast gets the next offset (a decimal sequence number) as its last argument,
 * is recorded, and is delivered while holding {@link #lock}: offsets reach every socket in increasing order,
 * and a restore or history replay taken under the same lock is followed by exactly the broadcasts it did
 * not contain (nothing missed, nothing doubled).
 */
final class BroadcastJournal {
    /**
     * A monitor, not a ReentrantLock: every emitter of the namespace (the API's selectors, the engine's I/O
     * threads) takes it for a short section, and a contended monitor spins before it parks where a ReentrantLock
     * parks at once (futex calls in 3 s of saturating POST /emit: 33k -> 1.7k; bench/results/2026-12-07-journal-lock-probes.md).
     */
    private final Object lock = new Object();
    private final RecoveryStore recovery; // null: recovery off
    private final List<RoomHistory> histories = new CopyOnWriteArrayList<>();
    private final String epoch = epoch(); // tells this journal's offsets from another node's or a past run's
    private long sequence; // guarded by lock

    BroadcastJournal(RecoveryStore recovery) {
        this.recovery = recovery;
    }

    boolean active() {
        return recovery != null || !histories.isEmpty();
    }

    boolean recoveryEnabled() {
        return recovery != null;
    }

    RecoveryStore recovery() {
        return recovery;
    }

    void addHistory(RoomHistory history) {
        synchronized (lock) {
            histories.add(history);
        }
    }

    Object lock() {
        return lock;
    }

    /** Offsets look like {@code 42-k3j9x0ab}: the sequence number, then this journal's epoch. */
    String format(long offset) {
        return offset + "-" + epoch;
    }

    /** The sequence number of one of our offsets; {@link #FOREIGN} for a well-formed offset of another journal. */
    long parse(String offset) {
        int dash = offset.indexOf('-');
        if (dash < 1 || dash > 18 || !OFFSET.matcher(offset).matches()) {
            throw new IllegalArgumentException("not an offset");
        }
        if (!offset.regionMatches(dash + 1, epoch, 0, epoch.length()) || offset.length() != dash + 1 + epoch.length()) {
            return FOREIGN;
        }
        return Long.parseLong(offset, 0, dash, 10);
    }

    static final long FOREIGN = -1;
    private static final java.util.regex.Pattern OFFSET = java.util.regex.Pattern.compile("[0-9]{1,18}-[0-9a-z]{1,16}");

    private static String epoch() {
        long bits = new java.security.SecureRandom().nextLong() >>> 24; // 40 bits
        return Long.toString(bits | (1L << 40), 36);
    }

    /** Under the lock: the next offset. */
    long nextOffset() {
        return ++sequence;
    }

    /**
     * Under the lock: keeps an encoded broadcast for recovery and the histories of its rooms; a history also keeps
     * the encoding without the offset ({@code plain}, asked only when a history records it) for the sockets that
     * did not ask for offsets.
     */
    void record(long offset, EngineMessage[] messages, Supplier<EngineMessage[]> plain, BroadcastOptions options) {
        long bytes = 0;
        for (EngineMessage m : messages) {
            bytes += m.wireSize();
        }
        RecoveryStore.RecordedBroadcast broadcast = new RecoveryStore.RecordedBroadcast(offset, messages,
                options.rooms(), options.except(), System.currentTimeMillis(), bytes);
        if (recovery != null) {
            recovery.append(broadcast);
        }
        if (!options.rooms().isEmpty()) {
            for (RoomHistory history : histories) {
                history.record(broadcast, plain);
            }
        }
    }

    boolean hasHistory(String room) {
        for (RoomHistory history : histories) {
            if (history.covers(room)) {
                return true;
            }
        }
        return false;
    }

    /** Under the lock: the history of {@code room} after {@code since}, from the first history covering it. */
    RoomHistory.HistoryReplayBatch history(String room, Long since, Set<String> socketRooms, boolean withOffsets) {
        for (RoomHistory history : histories) {
            if (history.covers(room)) {
                return history.after(room, since, socketRooms, withOffsets, System.currentTimeMillis());
            }
        }
        return null;
    }
}
