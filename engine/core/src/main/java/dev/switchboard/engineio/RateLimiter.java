package dev.switchboard.engineio;

/**
 * The one rate limiter of the server: a token bucket ({@code burst} tokens, refilled at {@code perSecond}; one
 * token per event, message or handshake) with an optional sustained-overflow policy: a caller that has events
 * dropped in {@code disconnectAfterSeconds} consecutive seconds is told to disconnect. {@code perSecond} 0 turns
 * it off (everything allowed). Times are {@link System#nanoTime()} values passed in, so tests run on a synthetic
 * clock. Used by the handshake admission (per address), Socket.IO events (per socket) and plain channel messages
 * (per client).
 */
public final class RateLimiter {
    /** What to do with one event. */
    public enum Verdict {
        ALLOW,
        /** Over the rate; already {@link #DROP_FIRST_THIS_SECOND told} this second. */
        DROP,
        /** Over the rate, the first drop of this second: tell the client (at most once a second). */
        DROP_FIRST_THIS_SECOND,
        /** Over the rate in {@code disconnectAfterSeconds} consecutive seconds: disconnect it. */
        DISCONNECT;

        public boolean allowed() {
            return this == ALLOW;
        }
    }

    private static final long SECOND = 1_000_000_000L;

    private final double capacity;
    private final double tokensPerNano;
    private final int disconnectAfterSeconds;
    private double tokens;
    private long refilledAt;
    private long lastDropSecond = Long.MIN_VALUE;
    private int consecutiveSeconds;

    /** {@code disconnectAfterSeconds} 0: never {@link Verdict#DISCONNECT}. */
    public RateLimiter(int perSecond, int burst, int disconnectAfterSeconds, long nowNanos) {
        if (perSecond < 0 || burst < 1 || disconnectAfterSeconds < 0) {
            throw new IllegalArgumentException("bad rate: perSecond=" + perSecond + " burst=" + burst
                    + " disconnectAfterSeconds=" + disconnectAfterSeconds);
        }
        this.capacity = burst;
        this.tokensPerNano = perSecond / 1e9;
        this.disconnectAfterSeconds = disconnectAfterSeconds;
        this.tokens = burst;
        this.refilledAt = nowNanos;
    }

    /** Takes a token when one is there. */
    public synchronized boolean tryTake(long nowNanos) {
        if (tokensPerNano <= 0) {
            return true;
        }
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether {@link #tryTake} would succeed now (takes nothing). */
    public synchronized boolean hasToken(long nowNanos) {
        if (tokensPerNano <= 0) {
            return true;
        }
        refill(nowNanos);
        return tokens >= 1;
    }

    /** Whether the bucket is full again (nothing left to remember about this caller). */
    public synchronized boolean full(long nowNanos) {
        if (tokensPerNano <= 0) {
            return true;
        }
        refill(nowNanos);
        return tokens >= capacity;
    }

    /** Takes a token for one event and applies the sustained-overflow policy when there is none. */
    public synchronized Verdict onEvent(long nowNanos) {
        if (tryTake(nowNanos)) {
            return Verdict.ALLOW;
        }
        long second = Math.floorDiv(nowNanos, SECOND);
        if (second == lastDropSecond) {
            return Verdict.DROP;
        }
        consecutiveSeconds = second == lastDropSecond + 1 ? consecutiveSeconds + 1 : 1;
        lastDropSecond = second;
        if (disconnectAfterSeconds > 0 && consecutiveSeconds >= disconnectAfterSeconds) {
            return Verdict.DISCONNECT;
        }
        return Verdict.DROP_FIRST_THIS_SECOND;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * tokensPerNano);
            refilledAt = nowNanos;
        }
    }
}
