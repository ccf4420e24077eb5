package dev.switchboard.app.guard;

import static dev.switchboard.app.guard.EventRateGuard.Verdict.ALLOW;
import static dev.switchboard.app.guard.EventRateGuard.Verdict.DISCONNECT;
import static dev.switchboard.app.guard.EventRateGuard.Verdict.DROP;
import static dev.switchboard.app.guard.EventRateGuard.Verdict.DROP_AND_NOTIFY;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.switchboard.app.config.RateLimitSettings;

/** The policy on a synthetic clock (nanoseconds), so each second boundary is exact. */
class EventRateGuardTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void burstThenRefillAtTheRate() {
        long t = 100 * SECOND;
        EventRateGuard guard = new EventRateGuard(new RateLimitSettings(10, 20, 0), t);
        for (int i = 0; i < 20; i++) {
            assertThat(guard.onEvent(t)).isEqualTo(ALLOW);
        }
        assertThat(guard.onEvent(t)).isEqualTo(DROP_AND_NOTIFY);
        assertThat(guard.onEvent(t)).isEqualTo(DROP);
        t += SECOND / 10; // one token back
        assertThat(guard.onEvent(t)).isEqualTo(ALLOW);
        assertThat(guard.onEvent(t)).isEqualTo(DROP);
    }

    @Test
    void notifiesOncePerSecondAndDisconnectsAfterConsecutiveSeconds() {
        long t = 100 * SECOND;
        EventRateGuard guard = new EventRateGuard(new RateLimitSettings(1, 1, 3), t);
        assertThat(guard.onEvent(t)).isEqualTo(ALLOW);
        assertThat(guard.onEvent(t + 1)).isEqualTo(DROP_AND_NOTIFY); // second 100: strike 1
        assertThat(guard.onEvent(t + 2)).isEqualTo(DROP);
        t += SECOND;
        assertThat(guard.onEvent(t)).isEqualTo(ALLOW); // refilled
        assertThat(guard.onEvent(t)).isEqualTo(DROP_AND_NOTIFY); // second 101: strike 2
        t += SECOND;
        assertThat(guard.onEvent(t)).isEqualTo(ALLOW);
        assertThat(guard.onEvent(t)).isEqualTo(DISCONNECT); // second 102: strike 3
    }

    @Test
    void aQuietSecondResetsTheStrikes() {
        long t = 100 * SECOND;
        EventRateGuard guard = new EventRateGuard(new RateLimitSettings(1, 1, 2), t);
        guard.onEvent(t);
        assertThat(guard.onEvent(t)).isEqualTo(DROP_AND_NOTIFY);
        t += 2 * SECOND; // second 101 had no drop
        guard.onEvent(t);
        assertThat(guard.onEvent(t)).isEqualTo(DROP_AND_NOTIFY);
    }

    @Test
    void neverDisconnectsWhenDisabled() {
        long t = 0;
        EventRateGuard guard = new EventRateGuard(new RateLimitSettings(1, 1, 0), t);
        for (int second = 0; second < 20; second++) {
            long now = t + second * SECOND;
            guard.onEvent(now);
            assertThat(guard.onEvent(now)).isNotEqualTo(DISCONNECT);
        }
    }
}
