package dev.switchboard.socketio;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.switchboard.engineio.EngineMessage;

/**
 * Where connection state recovery keeps one namespace's recent broadcasts and its disconnected sessions.
 * In memory by default ({@link InMemoryRecoveryStore}); a shared store (e.g. Redis Streams) implements the same.
 *
 * <p>Offsets are a per-namespace sequence that grows by one per recorded broadcast (the namespace turns them
 * into the strings clients see, and back); the
 * namespace calls {@link #append} in offset order while holding its journal lock, so a store never sees
 * them out of order. {@link #restore} is called under the same lock.
 */
public interface RecoveryStore {

    /** Keeps one broadcast (its offset already appended to the encoded packet); evicts per its bounds. */
    void append(RecordedBroadcast broadcast);

    /** Keeps a session that ended for a recoverable reason, until it is restored or expires. */
    void saveSession(SavedSession session);

    /**
     * The session {@code pid} with the packets it missed after {@code offset} (those of its rooms), and forgets
     * the session; null when unknown, expired, or when a packet it missed was already evicted.
     */
    RestoredSession restore(String pid, long offset);

    default void close() {
    }

    /** Creates the store of one namespace. */
    @FunctionalInterface
    interface Factory {
        RecoveryStore create(String namespace, RecoveryOptions options);
    }

    /** One recorded broadcast: its offset, encoded messages, audience and size. */
    record RecordedBroadcast(long offset, EngineMessage[] messages, Set<String> rooms, Set<String> except,
                             long emittedAtMillis, long bytes) {

        /** Node's rule: in one of its rooms (or it had none) and in none of its except rooms. */
        public boolean reaches(Set<String> socketRooms) {
            boolean included = rooms.isEmpty();
            for (String room : socketRooms) {
                if (except.contains(room)) {
                    return false;
                }
                if (!included && rooms.contains(room)) {
                    included = true;
                }
            }
            return included;
        }
    }

    /** What a disconnected socket had: its id, private id (pid), rooms and data. */
    record SavedSession(String sid, String pid, Set<String> rooms, Map<String, Object> data, long disconnectedAtMillis) {
        public SavedSession {
            rooms = Set.copyOf(rooms);
            data = Map.copyOf(data);
        }
    }

    /** A session found again, with the packets it missed, in order. */
    record RestoredSession(SavedSession session, List<EngineMessage[]> missedPackets) {
    }
}
