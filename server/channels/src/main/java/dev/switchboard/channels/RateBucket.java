package dev.switchboard.channels;

/**
 * Token bucket of one plain client ({@code perSecond} refill, {@code burst} size) with the Socket.IO side's
 * policy: a client that has messages dropped in {@code disconnectAfterSeconds} consecutive seconds is closed.
 * Only used on the connection's I/O thread.
 */
final class RateBucket {
    enum Verdict { ALLOW, DROP, DISCONNECT }

    private static final long SECOND = 1_000_000_000L;
    private final double capacity;
    private final double perNano;
    private final int disconnectAfterSeconds;
    private double tokens;
    private long last;
    private long lastDropSecond = Long.MIN_VALUE;
    private int consecutiveSeconds;

    RateBucket(int perSecond, int burst, int disconnectAfterSeconds, long nowNanos) {
        this.capacity = burst;
        this.perNano = perSecond / 1e9;
        this.disconnectAfterSeconds = disconnectAfterSeconds;
        this.tokens = burst;
        this.last = nowNanos;
    }

    Verdict onMessage(long nowNanos) {
        if (perNano <= 0) return Verdict.ALLOW;
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            last = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ALLOW;
        }
        long second = Math.floorDiv(nowNanos, SECOND);
        if (second != lastDropSecond) {
            consecutiveSeconds = second == lastDropSecond + 1 ? consecutiveSeconds + 1 : 1;
            lastDropSecond = second;
        }
        return disconnectAfterSeconds > 0 && consecutiveSeconds >= disconnectAfterSeconds ? Verdict.DISCONNECT : Verdict.DROP;
    }
}
