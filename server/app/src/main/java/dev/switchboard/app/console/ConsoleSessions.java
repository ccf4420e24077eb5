package dev.switchboard.app.console;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The operator console's logins: a random id (the cookie value) maps to the credential presented at login, so the
 * console's socket.io handshakes and HTTP reads are checked exactly as if they carried that credential. Ids are
 * minted here only (a client cannot choose one: no fixation); a session lives {@link #TTL} from login, then is
 * gone; at most {@link #MAX_SESSIONS} are kept, the oldest login dropped first.
 */
public final class ConsoleSessions {
    public static final Duration TTL = Duration.ofHours(1);
    public static final int MAX_SESSIONS = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Session(String credential, long expiresAtNanos) {
    }

    private final Map<String, Session> byId = new LinkedHashMap<>(); // insertion order = login order
    private final Duration ttl;
    private final int max;
    private final LongSupplier nanoTime;

    public ConsoleSessions() {
        this(TTL, MAX_SESSIONS, System::nanoTime);
    }

    ConsoleSessions(Duration ttl, int max, LongSupplier nanoTime) {
        this.ttl = ttl;
        this.max = max;
        this.nanoTime = nanoTime;
    }

    /** A new session for a credential already verified; returns its id (256 random bits, base64url). */
    synchronized String create(String credential) {
        long now = nanoTime.getAsLong();
        dropExpired(now);
        Iterator<String> oldest = byId.keySet().iterator();
        while (byId.size() >= max && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        byId.put(id, new Session(credential, now + ttl.toNanos()));
        return id;
    }

    /** The credential of a live session, or null (unknown, expired or null id). */
    public synchronized String credential(String id) {
        if (id == null) {
            return null;
        }
        Session session = byId.get(id);
        if (session == null) {
            return null;
        }
        if (session.expiresAtNanos - nanoTime.getAsLong() <= 0) {
            byId.remove(id);
            return null;
        }
        return session.credential;
    }

    synchronized void remove(String id) {
        if (id != null) {
            byId.remove(id);
        }
    }

    synchronized int size() {
        return byId.size();
    }

    Duration ttl() {
        return ttl;
    }

    private void dropExpired(long now) {
        // login order is expiry order: stop at the first live one
        Iterator<Session> sessions = byId.values().iterator();
        while (sessions.hasNext() && sessions.next().expiresAtNanos - now <= 0) {
            sessions.remove();
        }
    }
}
