package dev.switchboard.app.guard;

import dev.switchboard.app.config.RateLimitSettings;

/**
 * The per-socket event rate policy: a token bucket admits events; a dropped event is answered with an
 * {@code error} RATE_LIMITED at most once per second; a socket that has events dropped in
 * {@code disconnectAfterSeconds} consecutive seconds is disconnected.
 */
final class EventRateGuard {
    enum Verdict { ALLOW, DROP, DROP_AND_NOTIFY, DISCONNECT }

    private static final long SECOND = 1_000_000_000L;

    private final TokenBucket bucket;
    private final int disconnectAfterSeconds;
    private long lastDropSecond = Long.MIN_VALUE;
    private int consecutiveSeconds;

    EventRateGuard(RateLimitSettings settings, long nowNanos) {
        this.bucket = new TokenBucket(settings.eventsPerSecond(), settings.burst(), nowNanos);
        this.disconnectAfterSeconds = settings.disconnectAfterSeconds();
    }

    synchronized Verdict onEvent(long nowNanos) {
        if (bucket.tryTake(nowNanos)) {
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
        return Verdict.DROP_AND_NOTIFY;
    }
}
