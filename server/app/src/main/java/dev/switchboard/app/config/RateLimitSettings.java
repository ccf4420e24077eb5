package dev.switchboard.app.config;

/**
 * Per-socket event rate limit (token bucket).
 *
 * @param eventsPerSecond        refill rate; 0 disables the limit
 * @param burst                  bucket size: events a socket may send at once
 * @param disconnectAfterSeconds a socket that has events dropped in this many consecutive seconds is
 *                               disconnected; 0 = never
 */
public record RateLimitSettings(int eventsPerSecond, int burst, int disconnectAfterSeconds) {

    public boolean enabled() {
        return eventsPerSecond > 0;
    }
}
