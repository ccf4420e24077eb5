package dev.switchboard.engineio;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Live sessions by sid, and the count of open ones. Sids are 20 random bytes, base64url. */
final class SessionRegistry {
    private static final Base64.Encoder SID_ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final ConcurrentHashMap<String, EngineSession> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();

    String newSid() {
        byte[] bytes = new byte[20];
        random.nextBytes(bytes);
        return SID_ENCODER.encodeToString(bytes);
    }

    void add(EngineSession session) {
        sessions.put(session.id(), session);
        open.incrementAndGet();
    }

    EngineSession get(String sid) {
        return sessions.get(sid);
    }

    /** The session stopped being open (it may still deliver its last packets). */
    void closing() {
        open.decrementAndGet();
    }

    void remove(EngineSession session) {
        sessions.remove(session.id(), session);
    }

    int openCount() {
        return open.get();
    }

    int size() {
        return sessions.size();
    }

    /** A live view, for a walk over every session that must not copy 20,000 entries. */
    Collection<EngineSession> all() {
        return sessions.values();
    }

    List<EngineSession> snapshot() {
        return new ArrayList<>(sessions.values());
    }
}
