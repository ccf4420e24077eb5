package dev.switchboard.app.guard;

/** A classic token bucket: {@code capacity} tokens, refilled at {@code perSecond}; one token per event. */
final class TokenBucket {
    private final double capacity;
    private final double tokensPerNano;
    private double tokens;
    private long lastNanos;

    TokenBucket(int perSecond, int capacity, long nowNanos) {
        this.capacity = capacity;
        this.tokensPerNano = perSecond / 1_000_000_000.0;
        this.tokens = capacity;
        this.lastNanos = nowNanos;
    }

    synchronized boolean tryTake(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * tokensPerNano);
            lastNanos = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
