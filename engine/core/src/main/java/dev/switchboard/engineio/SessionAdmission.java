package dev.switchboard.engineio;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Admission of new Engine.IO sessions, counted from the handshake (a session that never joins a namespace still
 * counts): a global cap on sessions, a cap per client address and a handshake rate per client address (token
 * bucket with a burst). A session holds its {@link Ticket} until it is gone. Per-address state is dropped once the
 * address has no session and a full bucket ({@link #sweep}), so the map stays as small as the live sessions.
 */
final class SessionAdmission {
    /** Why a handshake was refused. */
    enum Refusal {
        SERVER_FULL(503, "Server full: too many sessions", "sessions_full"),
        ADDRESS_FULL(429, "Too many sessions from this address", "sessions_per_ip"),
        RATE(429, "Too many handshakes from this address", "handshake_rate");

        final int status;
        final String message;
        /** For logs and metrics. */
        final String reason;

        Refusal(int status, String message, String reason) {
            this.status = status;
            this.message = message;
            this.reason = reason;
        }
    }

    private final int maxSessions;
    private final int maxPerAddress;
    private final int handshakesPerSecond;
    private final int burst;
    private final AtomicInteger sessions = new AtomicInteger();
    private final ConcurrentHashMap<String, Address> addresses = new ConcurrentHashMap<>();

    /** Zero turns a bound off. */
    SessionAdmission(int maxSessions, int maxPerAddress, int handshakesPerSecond, int burst) {
        this.maxSessions = maxSessions;
        this.maxPerAddress = maxPerAddress;
        this.handshakesPerSecond = handshakesPerSecond;
        this.burst = Math.max(1, burst);
    }

    /** A ticket for a new session from this address, or the refusal (in {@link Ticket#refusal}). */
    Ticket admit(String address) {
        if (maxSessions > 0 && sessions.incrementAndGet() > maxSessions) {
            sessions.decrementAndGet();
            return Ticket.refused(Refusal.SERVER_FULL);
        } else if (maxSessions <= 0) {
            sessions.incrementAndGet();
        }
        long now = System.nanoTime();
        Refusal[] refusal = new Refusal[1];
        Address state = addresses.compute(address, (key, a) -> {
            Address s = a != null ? a : new Address(key, new RateLimiter(handshakesPerSecond, burst, 0, now));
            refusal[0] = s.take(now, maxPerAddress);
            return s;
        });
        if (refusal[0] != null) {
            sessions.decrementAndGet();
            return Ticket.refused(refusal[0]);
        }
        return new Ticket(this, state, null);
    }

    /** Open (not yet released) sessions. */
    int sessions() {
        return sessions.get();
    }

    /** Addresses with state kept. */
    int trackedAddresses() {
        return addresses.size();
    }

    /** Forgets addresses with no session and a bucket that has refilled. */
    void sweep() {
        long now = System.nanoTime();
        for (String key : addresses.keySet()) {
            addresses.computeIfPresent(key, (k, a) -> a.idle(now) ? null : a);
        }
    }

    private void release(Address state) {
        sessions.decrementAndGet();
        long now = System.nanoTime();
        addresses.computeIfPresent(state.key, (k, a) -> {
            a.sessions--;
            return a.idle(now) ? null : a;
        });
    }

    /** One address's sessions and handshake rate; changed only inside the map's compute for its key. */
    private static final class Address {
        final String key;
        final RateLimiter rate;
        int sessions;

        Address(String key, RateLimiter rate) {
            this.key = key;
            this.rate = rate;
        }

        Refusal take(long now, int maxPerAddress) {
            if (!rate.hasToken(now)) return Refusal.RATE;
            if (maxPerAddress > 0 && sessions >= maxPerAddress) return Refusal.ADDRESS_FULL;
            rate.tryTake(now);
            sessions++;
            return null;
        }

        boolean idle(long now) {
            return sessions == 0 && rate.full(now);
        }
    }

    /** A session's place; {@link #release()} once it is gone (idempotent). */
    static final class Ticket {
        private static final AtomicIntegerFieldUpdater<Ticket> RELEASED =
                AtomicIntegerFieldUpdater.newUpdater(Ticket.class, "released");
        private final SessionAdmission owner;
        private final Address address;
        private final Refusal refusal;
        private volatile int released;

        private Ticket(SessionAdmission owner, Address address, Refusal refusal) {
            this.owner = owner;
            this.address = address;
            this.refusal = refusal;
        }

        private static final Ticket[] REFUSED = {new Ticket(null, null, Refusal.SERVER_FULL),
            new Ticket(null, null, Refusal.ADDRESS_FULL), new Ticket(null, null, Refusal.RATE)};

        static Ticket refused(Refusal refusal) {
            return REFUSED[refusal.ordinal()];
        }

        /** Null when admitted. */
        Refusal refusal() {
            return refusal;
        }

        void release() {
            if (owner != null && RELEASED.compareAndSet(this, 0, 1)) owner.release(address);
        }
    }
}
