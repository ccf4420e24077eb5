package dev.switchboard.engineio;

import static dev.switchboard.engineio.RateLimiter.Verdict.ALLOW;
import static dev.switchboard.engineio.RateLimiter.Verdict.DISCONNECT;
import static dev.switchboard.engineio.RateLimiter.Verdict.DROP;
import static dev.switchboard.engineio.RateLimiter.Verdict.DROP_FIRST_THIS_SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bucket and its sustained-overflow policy on a synthetic clock (nanoseconds), so each second boundary is exact. */
class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void burstThenRefillAtTheRate() {
        long t = 100 * SECOND;
        RateLimiter guard = new RateLimiter(10, 20, 0, t);
        for (int i = 0; i < 20; i++) {
            assertThat(guard.onEvent(t)).isEqualTo(ALLOW);
        }
        assertThat(guard.onEvent(t)).isEqualTo(DROP_FIRST_THIS_SECOND);
        assertThat(guard.onEvent(t)).isEqualTo(DROP);
        t += SECOND / 10; // one token back
        assertThat(guard.onEvent(t)).isEqualTo(ALLOW);
        assertThat(guard.onEvent(t)).isEqualTo(DROP);
    }

    @Test
    void notifiesOncePerSecondAndDisconnectsAfterConsecutiveSeconds() {
        long t = 100 * SECOND;
        RateLimiter guard = new RateLimiter(1, 1, 3, t);
        assertThat(guard.onEvent(t)).isEqualTo(ALLOW);
        assertThat(guard.onEvent(t + 1)).isEqualTo(DROP_FIRST_THIS_SECOND); // second 100: strike 1
        assertThat(guard.onEvent(t + 2)).isEqualTo(DROP);
        t += SECOND;
        assertThat(guard.onEvent(t)).isEqualTo(ALLOW); // refilled
        assertThat(guard.onEvent(t)).isEqualTo(DROP_FIRST_THIS_SECOND); // second 101: strike 2
        t += SECOND;
        assertThat(guard.onEvent(t)).isEqualTo(ALLOW);
        assertThat(guard.onEvent(t)).isEqualTo(DISCONNECT); // second 102: strike 3
    }

    @Test
    void aQuietSecondResetsTheStrikes() {
        long t = 100 * SECOND;
        RateLimiter guard = new RateLimiter(1, 1, 2, t);
        guard.onEvent(t);
        assertThat(guard.onEvent(t)).isEqualTo(DROP_FIRST_THIS_SECOND);
        t += 2 * SECOND; // second 101 had no drop
        guard.onEvent(t);
        assertThat(guard.onEvent(t)).isEqualTo(DROP_FIRST_THIS_SECOND);
    }

    @Test
    void offAllowsEverythingAndIsAlwaysFull() {
        RateLimiter off = new RateLimiter(0, 1, 3, 0);
        for (int i = 0; i < 1000; i++) {
            assertThat(off.onEvent(0)).isEqualTo(ALLOW);
        }
        assertThat(off.full(0)).isTrue();
    }

    @Test
    void fullOnceRefilledToTheBurst() {
        long t = 100 * SECOND;
        RateLimiter limiter = new RateLimiter(10, 2, 0, t);
        assertThat(limiter.tryTake(t)).isTrue();
        assertThat(limiter.full(t)).isFalse();
        assertThat(limiter.full(t + SECOND / 10)).isTrue();
    }

    @Test
    void neverDisconnectsWhenDisabled() {
        long t = 0;
        RateLimiter guard = new RateLimiter(1, 1, 0, t);
        for (int second = 0; second < 20; second++) {
            long now = t + second * SECOND;
            guard.onEvent(now);
            assertThat(guard.onEvent(now)).isNotEqualTo(DISCONNECT);
        }
    }
}
