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
 * console's HTTP reads and socket.io handshakes are checked exactly as if they carried that credential. Ids are
 * minted here only (a client cannot choose one: no fixation); a session lives {@link #TTL} from login, then is
 * gone; at most {@link #MAX_SESSIONS} are kept, the oldest login dropped first, and at most
 * {@link #MAX_SESSIONS_PER_CREDENTIAL} per credential, its own oldest dropped first (a holder of any accepted
 * token, e.g. one AUTH_TOKENS gives a frontend, logging in again and again only ever ends its own sessions).
 *
 * <p>A socket.io handshake does not carry the cookie (the engine keeps only a few handshake headers, and a site's
 * other cookies could push those over its bound): the page asks for a ticket, a random id for one handshake of its
 * session, valid {@link #TICKET_TTL}, and sends it as {@code auth.consoleTicket}. At most {@link #MAX_TICKETS}
 * tickets wait at once, the oldest dropped first, and at most {@link #MAX_TICKETS_PER_SESSION} per session, its own
 * oldest dropped first: one login asking again and again cannot push out the tickets other operators are about to
 * use (one credential's sessions hold at most 16 × 16 = 256 of the 1000).
 */
public final class ConsoleSessions {
    public static final Duration TTL = Duration.ofHours(1);
    public static final int MAX_SESSIONS = 1000;
    public static final int MAX_SESSIONS_PER_CREDENTIAL = 16;
    public static final Duration TICKET_TTL = Duration.ofSeconds(30);
    public static final int MAX_TICKETS = 1000;
    /** A page connects a handful of namespaces at once, each with its own ticket. */
    public static final int MAX_TICKETS_PER_SESSION = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Session(String credential, long expiresAtNanos) {
    }

    private record Ticket(String sessionId, long expiresAtNanos) {
    }

    private final Map<String, Session> byId = new LinkedHashMap<>(); // insertion order = login order
    private final Map<String, Ticket> tickets = new LinkedHashMap<>(); // insertion order = expiry order
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
        dropOldestBeyond(MAX_SESSIONS_PER_CREDENTIAL - 1, credential);
        Iterator<String> oldest = byId.keySet().iterator();
        while (byId.size() >= max && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
        String id = randomId();
        byId.put(id, new Session(credential, now + ttl.toNanos()));
        return id;
    }

    /** A ticket for one handshake of a live session, or null when the session is not live. */
    synchronized String ticket(String sessionId) {
        if (credential(sessionId) == null) {
            return null;
        }
        long now = nanoTime.getAsLong();
        dropOldestTicketsBeyond(MAX_TICKETS_PER_SESSION - 1, sessionId);
        Iterator<Ticket> waiting = tickets.values().iterator();
        while (waiting.hasNext()) {
            Ticket next = waiting.next();
            if (tickets.size() >= MAX_TICKETS || next.expiresAtNanos - now <= 0) {
                waiting.remove();
            } else {
                break;
            }
        }
        String ticket = randomId();
        tickets.put(ticket, new Ticket(sessionId, now + TICKET_TTL.toNanos()));
        return ticket;
    }

    /** The credential a ticket stands for, once: null when unknown, used, expired, or its session ended. */
    public synchronized String redeem(String ticket) {
        Ticket found = ticket == null ? null : tickets.remove(ticket);
        if (found == null || found.expiresAtNanos - nanoTime.getAsLong() <= 0) {
            return null;
        }
        return credential(found.sessionId);
    }

    synchronized int waitingTickets() {
        return tickets.size();
    }

    private static String randomId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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

    /** Drops the oldest sessions of {@code credential} until at most {@code keep} of them are left. */
    private void dropOldestBeyond(int keep, String credential) {
        int count = 0;
        for (Session session : byId.values()) {
            if (session.credential.equals(credential)) {
                count++;
            }
        }
        Iterator<Session> sessions = byId.values().iterator(); // login order: oldest first
        while (count > keep && sessions.hasNext()) {
            if (sessions.next().credential.equals(credential)) {
                sessions.remove();
                count--;
            }
        }
    }

    /** Drops the oldest waiting tickets of {@code sessionId} until at most {@code keep} of them are left. */
    private void dropOldestTicketsBeyond(int keep, String sessionId) {
        int count = 0;
        for (Ticket ticket : tickets.values()) {
            if (ticket.sessionId.equals(sessionId)) {
                count++;
            }
        }
        Iterator<Ticket> waiting = tickets.values().iterator(); // oldest first
        while (count > keep && waiting.hasNext()) {
            if (waiting.next().sessionId.equals(sessionId)) {
                waiting.remove();
                count--;
            }
        }
    }

    private void dropExpired(long now) {
        // login order is expiry order: stop at the first live one
        Iterator<Session> sessions = byId.values().iterator();
        while (sessions.hasNext() && sessions.next().expiresAtNanos - now <= 0) {
            sessions.remove();
        }
    }
}
