package dev.switchboard.socketio;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

import dev.switchboard.engineio.EngineMessage;

/**
 * The default {@link RecoveryStore}: a FIFO of recent broadcasts bounded by count, bytes and age, and the
 * disconnected sessions bounded by age and count. Evictions happen on append, save and restore (no timer).
 * Thread-safe (one lock; calls are short and bounded by the buffer size).
 */
public final class InMemoryRecoveryStore implements RecoveryStore {
    private final RecoveryOptions options;
    private final long maxAgeMillis;
    private final ArrayDeque<RecordedBroadcast> packets = new ArrayDeque<>();
    private final LinkedHashMap<String, SavedSession> sessions = new LinkedHashMap<>(); // oldest first
    private long bytes;
    private long lastEvicted = -1; // offset of the newest evicted packet, -1 when none
    private long lastAppended = -1;

    public InMemoryRecoveryStore(RecoveryOptions options) {
        this.options = options;
        this.maxAgeMillis = options.maxDisconnectionDuration().toMillis();
    }

    @Override
    public synchronized void append(RecordedBroadcast broadcast) {
        if (lastAppended < 0 && lastEvicted < 0) {
            lastEvicted = broadcast.offset() - 1; // offsets before the first recorded one are unknown here
        }
        packets.addLast(broadcast);
        bytes += broadcast.bytes();
        lastAppended = broadcast.offset();
        while (packets.size() > options.maxBufferedPackets() || bytes > options.maxBufferedBytes()) {
            evictOldest();
        }
        evictOlderThan(broadcast.emittedAtMillis() - maxAgeMillis);
    }

    @Override
    public synchronized void saveSession(SavedSession session) {
        sessions.remove(session.pid());
        sessions.put(session.pid(), session);
        expireSessions(session.disconnectedAtMillis());
        int max = options.maxSavedSessions();
        if (max > 0 && sessions.size() > max) {
            Iterator<SavedSession> oldest = sessions.values().iterator();
            oldest.next();
            oldest.remove(); // one in, one out: it reconnects as a new socket
        }
    }

    @Override
    public synchronized RestoredSession restore(String pid, long seen) {
        long now = System.currentTimeMillis();
        expireSessions(now);
        evictOlderThan(now - maxAgeMillis);
        SavedSession session = sessions.remove(pid);
        if (session == null) {
            return null;
        }
        if (seen < lastEvicted || seen > lastAppended) {
            return null; // it missed a packet we no longer have, or the offset is not one of ours
        }
        List<EngineMessage[]> missed = new ArrayList<>();
        for (RecordedBroadcast packet : packets) {
            if (packet.offset() > seen && packet.reaches(session.rooms())) {
                missed.add(packet.messages());
            }
        }
        return new RestoredSession(session, missed);
    }

    /** Packets currently kept (for tests and metrics). */
    public synchronized int bufferedPackets() {
        return packets.size();
    }

    public synchronized long bufferedBytes() {
        return bytes;
    }

    public synchronized int savedSessions() {
        return sessions.size();
    }

    private void evictOldest() {
        RecordedBroadcast oldest = packets.pollFirst();
        bytes -= oldest.bytes();
        lastEvicted = oldest.offset();
    }

    private void evictOlderThan(long thresholdMillis) {
        while (!packets.isEmpty() && packets.peekFirst().emittedAtMillis() < thresholdMillis) {
            evictOldest();
        }
    }

    private void expireSessions(long nowMillis) {
        Iterator<SavedSession> it = sessions.values().iterator();
        while (it.hasNext() && it.next().disconnectedAtMillis() + maxAgeMillis < nowMillis) {
            it.remove();
        }
    }
}
